package dev.pedidos.groups.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Committed-offset lag of a consumer group on one topic, per partition, from Kafka's Admin API:
 * the log end offset ({@code listOffsets} with {@link OffsetSpec#latest()}) minus the group's
 * committed offset ({@code listConsumerGroupOffsets}), which is what
 * {@code kafka-consumer-groups --describe} shows as LAG. Unlike the client's own
 * {@code records-lag} metric it needs no running consumer of the group: it is right while the group
 * is down, which is when it matters.
 *
 * <p>A partition on which the group has no committed offset (a new group) counts from the log
 * start offset, which is where {@code auto-offset-reset: earliest} (billing's and notification's
 * setting) starts reading.
 *
 * <p>Usable alone, without the rest of this module: {@code new ConsumerGroupLag(kafkaAdmin)} with
 * Boot's {@link KafkaAdmin}, or with any {@link Admin}. Thread-safe; each call is three Admin
 * requests (describe topic, committed offsets, end offsets), bounded by the timeout.
 */
public class ConsumerGroupLag implements AutoCloseable {

    private final Admin admin;
    private final boolean ownsAdmin;
    private final Duration timeout;

    /**
     * @param kafkaAdmin Boot's admin, whose client settings ({@code spring.kafka.admin.*}, bootstrap
     *                   servers, security) are used for an Admin client of this object's own,
     *                   closed by {@link #close}
     * @param timeout    bound of one {@link #of} call
     */
    public ConsumerGroupLag(KafkaAdmin kafkaAdmin, Duration timeout) {
        this(Admin.create(kafkaAdmin.getConfigurationProperties()), true, timeout);
    }

    /**
     * @param admin   an Admin client the caller owns and closes
     * @param timeout bound of one {@link #of} call
     */
    public ConsumerGroupLag(Admin admin, Duration timeout) {
        this(admin, false, timeout);
    }

    private ConsumerGroupLag(Admin admin, boolean ownsAdmin, Duration timeout) {
        this.admin = admin;
        this.ownsAdmin = ownsAdmin;
        this.timeout = timeout;
    }

    /**
     * @param group a consumer group ID, e.g. {@code billing}
     * @param topic the topic it reads, e.g. {@code pedidos-pendentes}
     * @return one entry per partition of the topic, by partition number
     * @throws LagUnavailableException when the cluster did not answer within the timeout, or the topic
     *         does not exist
     */
    public List<PartitionLag> of(String group, String topic) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(topic);
            List<TopicPartition> partitions = description.partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(remaining(deadline), TimeUnit.NANOSECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
            for (TopicPartition partition : partitions) {
                ends.put(partition, OffsetSpec.latest());
                if (committed.get(partition) == null) {
                    starts.put(partition, OffsetSpec.earliest());
                }
            }
            Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(ends).all()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> start = starts.isEmpty() ? Map.of()
                    : admin.listOffsets(starts).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
            List<PartitionLag> lags = new ArrayList<>(partitions.size());
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                long logEnd = end.get(partition).offset();
                long from = offset != null ? offset.offset() : start.get(partition).offset();
                lags.add(new PartitionLag(group, topic, partition.partition(), offset == null ? null : offset.offset(),
                        logEnd, Math.max(0, logEnd - from)));
            }
            lags.sort(Comparator.comparingInt(PartitionLag::partition));
            return lags;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagUnavailableException(group, topic, e);
        }
        catch (ExecutionException e) {
            throw new LagUnavailableException(group, topic, e.getCause());
        }
        catch (TimeoutException e) {
            throw new LagUnavailableException(group, topic, e);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Closes the Admin client when this object created it. */
    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * @param lags the partitions of {@link #of}
     * @return their lag summed, in records
     */
    public static long total(List<PartitionLag> lags) {
        return lags.stream().mapToLong(PartitionLag::lag).sum();
    }

    /**
     * One partition's lag.
     *
     * @param group     the consumer group
     * @param topic     the topic
     * @param partition the partition number
     * @param committed the group's committed offset (the next record it will read), {@code null} when it
     *                  has none on this partition
     * @param logEnd    the log end offset (the offset the next record written will get)
     * @param lag       records written and not yet committed by the group: {@code logEnd - committed},
     *                  or {@code logEnd - logStart} without a committed offset; never negative
     */
    public record PartitionLag(String group, String topic, int partition, @Nullable Long committed, long logEnd,
            long lag) {
    }

    /** The cluster did not tell the lag in time, or the topic does not exist. */
    public static class LagUnavailableException extends RuntimeException {

        LagUnavailableException(String group, String topic, Throwable cause) {
            super("lag of group %s on %s unavailable: %s".formatted(group, topic, cause), cause);
        }
    }
}
