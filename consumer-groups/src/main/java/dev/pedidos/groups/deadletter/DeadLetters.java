package dev.pedidos.groups.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.KafkaHeaders;

import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.groups.status.OrderStatusPublisher;

/**
 * One group's dead letters, read from its dead-letter topic (the topic is the store: nothing else
 * keeps them), and their replay through the group's replay topic.
 *
 * <p>A replay copies the dead-letter record's key, value bytes and headers (Spring's
 * {@code kafka_dlt-*} included) to the same partition of the replay topic, which only this group's
 * listener reads, and adds the headers {@value #REPLAY_COUNT_HEADER} (1 for the first replay of an
 * order's record, one more for each replay of a record that failed again),
 * {@value #REPLAY_OF_PARTITION_HEADER}, {@value #REPLAY_OF_OFFSET_HEADER} (the dead letter's
 * coordinates) and {@value #REPLAYED_AT_HEADER}, as UTF-8 text. Before that it publishes the
 * order's {@code REPLAYED} step, so that the journey shows the replay before its outcome. A record
 * that fails again goes through the error handler as any other (bounded retries) and back to the
 * dead-letter topic, carrying these headers: nothing replays it again by itself, so it cannot loop.
 *
 * <p>Each listing reads both topics from their beginning in a short-lived consumer (assign and
 * seek, no group): fine for the few records a dead-letter topic holds, not for millions.
 */
public class DeadLetters {

    /** How many times the record has been replayed, 1 for the first replay. */
    public static final String REPLAY_COUNT_HEADER = "pedidos-replay-count";
    /** Partition of the dead letter this record is a replay of. */
    public static final String REPLAY_OF_PARTITION_HEADER = "pedidos-replay-of-partition";
    /** Offset of the dead letter this record is a replay of. */
    public static final String REPLAY_OF_OFFSET_HEADER = "pedidos-replay-of-offset";
    /** When the operator replayed it, ISO-8601. */
    public static final String REPLAYED_AT_HEADER = "pedidos-replayed-at";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Map<String, Object> clientConfig;
    private final Admin admin;
    private final KafkaOperations<Object, Object> template;
    private final @Nullable OrderStatusPublisher status;
    private final String group;
    private final String deadLetterTopic;
    private final ReplayProperties replay;

    /**
     * @param clientConfig    connection settings of a Kafka client (Boot's admin settings)
     * @param admin           for the group's committed offsets on the replay topic
     * @param template        Boot's template: string keys, {@code byte[]} values as they are
     * @param status          publishes the {@code REPLAYED} steps; none: no steps
     * @param group           this service's consumer group
     * @param deadLetterTopic the group's dead-letter topic
     * @param replay          the group's replay topic
     */
    public DeadLetters(Map<String, Object> clientConfig, Admin admin, KafkaOperations<Object, Object> template,
            @Nullable OrderStatusPublisher status, String group, String deadLetterTopic, ReplayProperties replay) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.admin = admin;
        this.template = template;
        this.status = status;
        this.group = group;
        this.deadLetterTopic = deadLetterTopic;
        this.replay = replay;
    }

    /** @return the consumer group */
    public String group() {
        return group;
    }

    /** @return the dead-letter topic */
    public String topic() {
        return deadLetterTopic;
    }

    /**
     * @return every dead letter now in the topic, newest first (by the time it was dead-lettered, then
     *         by partition and offset), each with its replay state
     */
    public List<DeadLetter> list() {
        List<ConsumerRecord<String, byte[]>> dead = read(deadLetterTopic);
        List<ConsumerRecord<String, byte[]>> replays = read(replay.topic());
        Map<TopicPartition, OffsetAndMetadata> committed = committedOnReplayTopic();
        Map<Coordinates, List<ConsumerRecord<String, byte[]>>> replaysOf = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : replays) {
            Coordinates of = replayOf(record);
            if (of != null) {
                replaysOf.computeIfAbsent(of, key -> new ArrayList<>()).add(record);
            }
        }
        Set<Coordinates> failedAgain = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : dead) {
            Coordinates of = replayOf(record);
            if (of != null) {
                failedAgain.add(of);
            }
        }
        List<DeadLetter> letters = new ArrayList<>(dead.size());
        for (ConsumerRecord<String, byte[]> record : dead) {
            Coordinates at = new Coordinates(record.partition(), record.offset());
            List<ConsumerRecord<String, byte[]>> replayed = replaysOf.getOrDefault(at, List.of());
            ReplayState state;
            if (replayed.isEmpty()) {
                state = ReplayState.NOT_REPLAYED;
            }
            else if (failedAgain.contains(at)) {
                state = ReplayState.FAILED_AGAIN;
            }
            else {
                ConsumerRecord<String, byte[]> last = replayed.getLast();
                OffsetAndMetadata offset = committed.get(new TopicPartition(last.topic(), last.partition()));
                state = offset != null && offset.offset() > last.offset() ? ReplayState.REPLAYED
                        : ReplayState.REPLAY_PENDING;
            }
            letters.add(deadLetter(record, state, replayed.size()));
        }
        letters.sort(Comparator.comparing(DeadLetter::deadLetteredAt).thenComparingInt(DeadLetter::partition)
                .thenComparingLong(DeadLetter::offset).reversed());
        return letters;
    }

    /**
     * Replays dead letters, one call at a time in this instance: a second request (a double click)
     * chooses after the first one's replays were acknowledged, so by order ID or {@code since} it
     * finds them replayed instead of sending them again.
     *
     * @param which the dead letters to replay, chosen among {@link #list}
     * @return what was replayed, in the order sent
     * @throws ReplayFailedException when a send was not acknowledged in time (the ones before it were)
     */
    public synchronized List<Replayed> replay(ReplaySelection which) {
        List<DeadLetter> all = list();
        List<DeadLetter> chosen = all.reversed().stream().filter(which::matches).toList();
        if (chosen.isEmpty()) {
            return List.of();
        }
        Map<Coordinates, ConsumerRecord<String, byte[]>> records = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : read(deadLetterTopic)) {
            records.put(new Coordinates(record.partition(), record.offset()), record);
        }
        List<Replayed> done = new ArrayList<>(chosen.size());
        for (DeadLetter letter : chosen) {
            ConsumerRecord<String, byte[]> record = records.get(new Coordinates(letter.partition(), letter.offset()));
            done.add(replay(record, letter));
        }
        return done;
    }

    private Replayed replay(ConsumerRecord<String, byte[]> record, DeadLetter letter) {
        int count = letter.replayCount() + 1;
        Instant now = Instant.now();
        if (status != null && letter.orderId() != null) {
            status.publish(record, status.replayed(record, letter.orderId(),
                    new OrderStatusChanged.Replay(deadLetterTopic, record.partition(), record.offset(), count)));
        }
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("pedidos-replay")) {
                headers.add(header);
            }
        }
        headers.add(REPLAY_COUNT_HEADER, Integer.toString(count).getBytes(UTF_8));
        headers.add(REPLAY_OF_PARTITION_HEADER, Integer.toString(record.partition()).getBytes(UTF_8));
        headers.add(REPLAY_OF_OFFSET_HEADER, Long.toString(record.offset()).getBytes(UTF_8));
        headers.add(REPLAYED_AT_HEADER, now.toString().getBytes(UTF_8));
        int partition = record.partition() % replay.partitions();
        try {
            var sent = template.send(new ProducerRecord<>(replay.topic(), partition, record.key(), record.value(), headers))
                    .get(replay.readTimeout().toMillis(), TimeUnit.MILLISECONDS).getRecordMetadata();
            log.warn("Replayed order {} (group {}) from {}-{}@{} to {}-{}@{}, replay {}", record.key(), group,
                    deadLetterTopic, record.partition(), record.offset(), sent.topic(), sent.partition(), sent.offset(),
                    count);
            return new Replayed(record.partition(), record.offset(), letter.orderId(), sent.topic(), sent.partition(),
                    sent.offset(), count);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayFailedException(letter, e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new ReplayFailedException(letter, e);
        }
    }

    private DeadLetter deadLetter(ConsumerRecord<String, byte[]> record, ReplayState state, int replays) {
        return new DeadLetter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                orderId(record.key()), text(first(record, KafkaHeaders.DLT_ORIGINAL_TOPIC)),
                integer(first(record, KafkaHeaders.DLT_ORIGINAL_PARTITION)),
                longValue(first(record, KafkaHeaders.DLT_ORIGINAL_OFFSET)),
                text(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_FQCN)),
                text(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE)),
                replayCount(record), state, replays);
    }

    private static int replayCount(ConsumerRecord<?, ?> record) {
        String count = text(record.headers().lastHeader(REPLAY_COUNT_HEADER));
        return count == null ? 0 : Integer.parseInt(count);
    }

    private static @Nullable Coordinates replayOf(ConsumerRecord<?, ?> record) {
        String partition = text(record.headers().lastHeader(REPLAY_OF_PARTITION_HEADER));
        String offset = text(record.headers().lastHeader(REPLAY_OF_OFFSET_HEADER));
        return partition == null || offset == null ? null
                : new Coordinates(Integer.parseInt(partition), Long.parseLong(offset));
    }

    /** The first of a header's values: Spring appends its original-* headers at each dead-lettering. */
    private static @Nullable Header first(ConsumerRecord<?, ?> record, String key) {
        var values = record.headers().headers(key).iterator();
        return values.hasNext() ? values.next() : null;
    }

    private static @Nullable String text(@Nullable Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }

    private static @Nullable Integer integer(@Nullable Header header) {
        return header == null || header.value() == null || header.value().length != Integer.BYTES ? null
                : ByteBuffer.wrap(header.value()).getInt();
    }

    private static @Nullable Long longValue(@Nullable Header header) {
        return header == null || header.value() == null || header.value().length != Long.BYTES ? null
                : ByteBuffer.wrap(header.value()).getLong();
    }

    private static @Nullable UUID orderId(@Nullable String key) {
        try {
            return key == null ? null : UUID.fromString(key);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOnReplayTopic() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(replay.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, offset) -> {
                        if (offset != null && partition.topic().equals(replay.topic())) {
                            committed.put(partition, offset);
                        }
                    });
            return committed;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("committed offsets of group " + group + " unavailable: " + e, e);
        }
    }

    /** Reads a topic from its beginning to its end as of now, with no consumer group. */
    private List<ConsumerRecord<String, byte[]>> read(String topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-dead-letters-reader");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Duration timeout = replay.readTimeout();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    /** @return the dead letter at these coordinates, if the topic still holds it */
    public Optional<DeadLetter> find(int partition, long offset) {
        return list().stream().filter(letter -> letter.partition() == partition && letter.offset() == offset).findFirst();
    }

    private record Coordinates(int partition, long offset) {
    }

    /** Whether a dead letter has been sent back through the group, and what came of it. */
    public enum ReplayState {
        /** never replayed */
        NOT_REPLAYED,
        /** replayed, not yet processed by the group (its offset on the replay topic not committed) */
        REPLAY_PENDING,
        /** replayed and processed by the group */
        REPLAYED,
        /** replayed, and dead-lettered again: a newer entry carries its replay count */
        FAILED_AGAIN
    }

    /**
     * One dead letter.
     *
     * @param partition         its partition in the dead-letter topic (its original partition)
     * @param offset            its offset in the dead-letter topic
     * @param deadLetteredAt    when it was written there (the record's timestamp)
     * @param orderId           the record key as an order ID; {@code null} when the key is not one
     * @param originalTopic     where it was first read from ({@code kafka_dlt-original-topic}; the first
     *                          dead-lettering's, also for a replay that failed again)
     * @param originalPartition partition there ({@code kafka_dlt-original-partition})
     * @param originalOffset    offset there ({@code kafka_dlt-original-offset})
     * @param exceptionClass    the last failure's class ({@code kafka_dlt-exception-fqcn})
     * @param exceptionMessage  and message ({@code kafka_dlt-exception-message})
     * @param replayCount       how often the record had been replayed when it failed this time; 0 for a
     *                          record that failed from the source topic
     * @param replayState       what became of this dead letter
     * @param replays           how many times this dead letter was replayed
     */
    public record DeadLetter(int partition, long offset, Instant deadLetteredAt, @Nullable UUID orderId,
            @Nullable String originalTopic, @Nullable Integer originalPartition, @Nullable Long originalOffset,
            @Nullable String exceptionClass, @Nullable String exceptionMessage, int replayCount,
            ReplayState replayState, int replays) {
    }

    /**
     * One replay.
     *
     * @param deadLetterPartition partition of the dead letter
     * @param deadLetterOffset    offset of the dead letter
     * @param orderId             the order, {@code null} when the key is not an order ID
     * @param topic               the replay topic
     * @param partition           the replayed record's partition there
     * @param offset              and offset
     * @param replayCount         its {@value #REPLAY_COUNT_HEADER}
     */
    public record Replayed(int deadLetterPartition, long deadLetterOffset, @Nullable UUID orderId, String topic,
            int partition, long offset, int replayCount) {
    }

    /**
     * Which dead letters to replay: exactly one of the three.
     *
     * @param partition with {@code offset}: that dead letter, whatever its state
     * @param offset    see {@code partition}
     * @param orderId   that order's dead letters not replayed yet
     * @param since     dead letters of that instant or later not replayed yet
     */
    public record ReplaySelection(@Nullable Integer partition, @Nullable Long offset, @Nullable UUID orderId,
            @Nullable Instant since) {

        public ReplaySelection {
            int given = (partition != null || offset != null ? 1 : 0) + (orderId != null ? 1 : 0) + (since != null ? 1 : 0);
            if (given != 1 || (partition == null) != (offset == null)) {
                throw new IllegalArgumentException("give exactly one of: partition and offset, orderId, since");
            }
        }

        boolean matches(DeadLetter letter) {
            if (partition != null) {
                return letter.partition() == partition && letter.offset() == offset;
            }
            boolean fresh = letter.replayState() == ReplayState.NOT_REPLAYED;
            return orderId != null ? fresh && orderId.equals(letter.orderId())
                    : fresh && !letter.deadLetteredAt().isBefore(since);
        }
    }

    /** A replay was not acknowledged by the brokers in time. */
    public static class ReplayFailedException extends RuntimeException {

        ReplayFailedException(DeadLetter letter, Throwable cause) {
            super("replay of dead letter %d@%d not acknowledged: %s".formatted(letter.partition(), letter.offset(), cause),
                    cause);
        }
    }
}
