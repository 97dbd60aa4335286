package dev.pedidos.groups.rewind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;

/**
 * Moves a running group's consumers on the source topic to an instant or to given offsets, without
 * stopping them: the target offsets are computed with the Admin API ({@code listOffsets} with
 * {@link OffsetSpec#forTimestamp}, the first record at or after the instant, or the log end when
 * there is none), then each partition assigned to this instance is sought through its listener's
 * seek callback. To an instant, a partition only ever moves back: one whose committed offset is
 * before the instant's stays there (its records are not processed yet), so such a rewind skips
 * nothing. Given offsets are taken as they are, forward too: the answer counts what they skip. The
 * group's ledgers (billing's one invoice per order, notification's sent log) make the records read
 * again harmless.
 *
 * <p>Counted against the group's committed offsets: a partition moved back by n records re-reads n,
 * one moved forward skips n. Partitions assigned to another instance of the service are not moved
 * and are reported; rewind each instance, or stop the group and use
 * {@code kafka-consumer-groups --reset-offsets}.
 */
public class GroupRewind {

    private static final Logger log = LoggerFactory.getLogger(GroupRewind.class);

    private final Admin admin;
    private final Supplier<List<RewindableListener>> listeners;
    private final String group;
    private final String topic;
    private final long timeoutMillis;

    /**
     * @param admin         for offsets
     * @param listeners     the group's listener beans in this service, looked up at each rewind
     * @param group         the consumer group
     * @param topic         the source topic
     * @param timeoutMillis bound of each Admin request
     */
    public GroupRewind(Admin admin, Supplier<List<RewindableListener>> listeners, String group, String topic, long timeoutMillis) {
        this.admin = admin;
        this.listeners = listeners;
        this.group = group;
        this.topic = topic;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @param to      the instant to read from again (a partition committed before it is left where it
     *                is); or {@code null} with {@code offsets}
     * @param offsets partition number → the next offset to read; or {@code null} with {@code to}
     * @return per partition what happens, and the totals
     * @throws IllegalArgumentException when neither or both are given, or a partition does not exist
     * @throws IllegalStateException    when the cluster does not answer in time
     */
    public Result rewind(@Nullable Instant to, @Nullable Map<Integer, Long> offsets) {
        if ((to == null) == (offsets == null || offsets.isEmpty())) {
            throw new IllegalArgumentException("give exactly one of: to (an ISO-8601 instant), offsets");
        }
        try {
            Map<TopicPartition, Long> targets = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMillis, TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            all.forEach(tp -> ends.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(ends).all()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (to != null) {
                Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                all.forEach(tp -> specs.put(tp, OffsetSpec.forTimestamp(to.toEpochMilli())));
                admin.listOffsets(specs).all().get(timeoutMillis, TimeUnit.MILLISECONDS).forEach((tp, info) -> {
                    long atInstant = info.offset() < 0 ? end.get(tp).offset() : info.offset();
                    // Never forward: a partition whose group is behind the instant (lag) would skip orders
                    // nobody processed. It stays where it is and reads them, as it would have.
                    OffsetAndMetadata position = committed.get(tp);
                    targets.put(tp, position == null ? atInstant : Math.min(atInstant, position.offset()));
                });
            }
            else {
                offsets.forEach((partition, offset) -> {
                    if (partition == null || partition < 0 || partition >= partitions || offset == null || offset < 0) {
                        throw new IllegalArgumentException("no partition %s of %s, or no offset, or a negative one"
                                .formatted(partition, topic));
                    }
                    TopicPartition tp = new TopicPartition(topic, partition);
                    targets.put(tp, Math.min(offset, end.get(tp).offset()));
                });
            }
            Map<TopicPartition, List<ConsumerSeekCallback>> assigned = new HashMap<>();
            listeners.get().forEach(listener -> assigned.putAll(listener.assigned()));

            List<PartitionRewind> moves = new ArrayList<>();
            long reRead = 0;
            long skipped = 0;
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                TopicPartition tp = target.getKey();
                OffsetAndMetadata current = committed.get(tp);
                long from = current == null ? 0 : current.offset();
                List<ConsumerSeekCallback> callbacks = assigned.get(tp);
                boolean here = callbacks != null && !callbacks.isEmpty();
                if (here) {
                    callbacks.forEach(callback -> callback.seek(tp.topic(), tp.partition(), target.getValue()));
                    reRead += Math.max(0, from - target.getValue());
                    skipped += Math.max(0, target.getValue() - from);
                }
                moves.add(new PartitionRewind(tp.partition(), from, target.getValue(), here));
            }
            Result result = new Result(group, topic, to, reRead, skipped, moves);
            log.warn("Rewound group {} on {} to {}: {} records to read again, {} skipped; partitions {}", group, topic,
                    to != null ? to : offsets, reRead, skipped, moves);
            return result;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("offsets of group %s on %s unavailable: %s".formatted(group, topic, e), e);
        }
    }

    /**
     * One partition's move.
     *
     * @param partition the partition
     * @param committed the group's committed offset before (0 when none)
     * @param target    the next offset the group reads
     * @param moved     whether it was moved: {@code false} when it is assigned to another instance
     */
    public record PartitionRewind(int partition, long committed, long target, boolean moved) {
    }

    /**
     * @param group      the group
     * @param topic      the topic
     * @param to         the instant, when one was given
     * @param reRead     records the moved partitions will read again
     * @param skipped    records the moved partitions skip (target after the committed offset)
     * @param partitions each partition
     */
    public record Result(String group, String topic, @Nullable Instant to, long reRead, long skipped,
            List<PartitionRewind> partitions) {
    }
}
