package dev.pedidos.orders.journey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.pedidos.groups.lag.ConsumerGroupLag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /groups}: each consumer group's lag and dead letters, as numbers for the web page.
 *
 * <pre>
 * {"groups": [{"group": "billing", "lag": 0, "deadLetters": 2},
 *             {"group": "notification", "lag": 35, "deadLetters": 0},
 *             {"group": "order-journey", "lag": 0, "deadLetters": null}],
 *  "measuredAt": "2026-11-27T15:00:00Z"}
 * </pre>
 *
 * <p>{@code lag}: records of the group's topics written and not yet committed by the group
 * ({@link ConsumerGroupLag}, the LAG of {@code kafka-consumer-groups --describe}), in orders and
 * status events. {@code deadLetters}: records in the group's dead-letter topic (log end minus log
 * start offset, summed over its partitions; replayed ones stay there until retention removes them),
 * null for a group without one. Either is null when the cluster did not answer within
 * {@code pedidos.groups.timeout}. The figures are measured at most once per
 * {@code pedidos.groups.cache}, whatever the number of pages asking.
 */
@RestController
class GroupNumbers implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupNumbers.class);

    private final ConsumerGroupLag lag;

    private final Admin admin;

    private final GroupsProperties properties;

    private final Clock clock;

    private Numbers last;

    GroupNumbers(ConsumerGroupLag lag, KafkaAdmin kafkaAdmin, GroupsProperties properties, Clock clock) {
        this.lag = lag;
        this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/groups")
    synchronized Numbers groups() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.measuredAt(), now).compareTo(properties.cache()) < 0) {
            return last;
        }
        List<Group> groups = new ArrayList<>();
        for (GroupsProperties.Watched watched : properties.watched()) {
            groups.add(new Group(watched.group(), lagOf(watched), deadLettersOf(watched)));
        }
        // Stamped when done: a request that waited for this measurement (the cluster may take pedidos.groups.timeout
        // per group to answer, or not) gets it from the cache, rather than measuring again after it.
        last = new Numbers(groups, clock.instant());
        return last;
    }

    private @Nullable Long lagOf(GroupsProperties.Watched watched) {
        try {
            long total = 0;
            for (String topic : watched.topics()) {
                total += ConsumerGroupLag.total(lag.of(watched.group(), topic));
            }
            return total;
        }
        catch (RuntimeException unavailable) {
            log.debug("Lag of group {} unavailable: {}", watched.group(), unavailable.toString());
            return null;
        }
    }

    private @Nullable Long deadLettersOf(GroupsProperties.Watched watched) {
        if (watched.deadLetterTopic() == null || watched.deadLetterTopic().isBlank()) {
            return null;
        }
        String topic = watched.deadLetterTopic();
        long deadline = System.nanoTime() + properties.timeout().toNanos();
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(topic).partitions().stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> {
                earliest.put(partition, OffsetSpec.earliest());
                latest.put(partition, OffsetSpec.latest());
            });
            Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            return partitions.stream().mapToLong(p -> ends.get(p).offset() - starts.get(p).offset()).sum();
        }
        catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (Exception unavailable) {
            // The topic does not exist yet (its consumer never started), or the cluster did not answer.
            log.debug("Dead letters of group {} unavailable: {}", watched.group(), unavailable.toString());
            return null;
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(5));
    }

    /**
     * Body of {@code GET /groups}.
     *
     * @param groups     one entry per watched group, in configuration order
     * @param measuredAt when the figures' measurement ended
     */
    record Numbers(List<Group> groups, Instant measuredAt) {
    }

    /**
     * @param group       consumer group ID
     * @param lag         records behind on its topics, null when unknown
     * @param deadLetters records in its dead-letter topic, null when it has none or it is unknown
     */
    record Group(String group, @Nullable Long lag, @Nullable Long deadLetters) {
    }

    /**
     * What {@code GET /groups} measures, from {@code pedidos.groups.*}.
     *
     * @param watched the groups, each with the topics it reads and its dead-letter topic
     * @param timeout bound of one group's measurement
     * @param cache   figures younger than this are answered again without asking the cluster
     */
    @ConfigurationProperties(prefix = "pedidos.groups")
    @Validated
    record GroupsProperties(@NotEmpty List<@Valid Watched> watched, @NotNull Duration timeout,
            @NotNull Duration cache) {

        /**
         * @param group           consumer group ID
         * @param topics          the topics it reads
         * @param deadLetterTopic its dead-letter topic, or none
         */
        record Watched(@NotBlank String group, @NotEmpty List<String> topics, @Nullable String deadLetterTopic) {
        }
    }
}
