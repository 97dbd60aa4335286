package dev.pedidos.groups.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.SendResult;

import dev.pedidos.events.OrderStatusChanged.DeadLetter;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.tracing.RecordTracing;

/**
 * Spring's {@link DeadLetterPublishingRecoverer}, which also publishes the {@code DEAD_LETTERED}
 * step of the order's journey once the dead-letter record is acknowledged: group, reason, and the
 * dead-letter record's topic, partition and offset (from the send's {@link RecordMetadata}).
 *
 * <p>It hooks into {@link #verifySendResult}, which Spring calls after each dead-letter send
 * (because {@code failIfSendResultIsError} is on, Spring's default): Spring's check waits for the
 * acknowledgement first (and throws when there is none), then the step is published and awaited.
 * All of it happens inside the error handler's recovery, before the failed record's offset is
 * committed, so a crash in between delivers the record again rather than losing the step. When the
 * step is not acknowledged in time ({@link StatusNotPublishedException}) the recovery fails: the
 * error handler delivers the record again and dead-letters it again, with its step (the dead-letter
 * topic then holds two copies; the journey view dedupes by order, stage and group).
 *
 * <p>A record whose key is not an order ID (a UUID in its canonical text form) gets no step; an
 * INFO line says so. The step and that line are in the record's trace ({@link RecordTracing}).
 */
class DeadLetterStepRecoverer extends DeadLetterPublishingRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterStepRecoverer.class);

    /** The listener's failure of the record being recovered on this thread, for the step's reason. */
    private final ThreadLocal<Exception> failure = new ThreadLocal<>();

    private final OrderStatusPublisher publisher;
    private final RecordTracing tracing;

    /**
     * @param template    writes the dead-letter records (and, through the publisher, the steps)
     * @param destination the dead-letter topic and partition of a failed record
     * @param publisher   the group's publisher of journey steps
     * @param tracing     runs the step's publication in the failed record's trace
     */
    DeadLetterStepRecoverer(KafkaOperations<?, ?> template,
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destination, OrderStatusPublisher publisher,
            RecordTracing tracing) {
        super(template, destination);
        this.publisher = publisher;
        this.tracing = tracing;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
        failure.set(exception);
        try {
            super.accept(record, consumer, exception);
        }
        finally {
            failure.remove();
        }
    }

    /**
     * Spring's check of the dead-letter send (waits for the acknowledgement, throws without one),
     * then the {@code DEAD_LETTERED} step.
     *
     * @throws StatusNotPublishedException when the step was not acknowledged within the publish timeout
     */
    @Override
    protected void verifySendResult(KafkaOperations<Object, Object> template, ProducerRecord<Object, Object> outRecord,
            @Nullable CompletableFuture<SendResult<Object, Object>> sendResult, ConsumerRecord<?, ?> inRecord) {
        super.verifySendResult(template, outRecord, sendResult, inRecord);
        if (sendResult == null) {
            return; // (Spring's check above throws first)
        }
        RecordMetadata deadLetter = sendResult.join().getRecordMetadata();
        tracing.run(inRecord, () -> publishStep(inRecord, deadLetter));
    }

    private void publishStep(ConsumerRecord<?, ?> record, RecordMetadata deadLetter) {
        UUID orderId = orderId(record.key());
        if (orderId == null) {
            log.info("No DEAD_LETTERED step for the record {}-{}@{} (group {}), now at {}-{}@{}: its key is not an "
                    + "order ID", record.topic(), record.partition(), record.offset(), publisher.group(),
                    deadLetter.topic(), deadLetter.partition(), deadLetter.offset());
            return;
        }
        String reason = DeadLetterAutoConfiguration.describe(failure.get());
        publisher.publish(record, publisher.deadLettered(record, orderId,
                new DeadLetter(reason, deadLetter.topic(), deadLetter.partition(), deadLetter.offset())));
        log.info("Published DEAD_LETTERED step for order {} (group {}, {}-{}@{}): dead letter at {}-{}@{}", orderId,
                publisher.group(), record.topic(), record.partition(), record.offset(), deadLetter.topic(),
                deadLetter.partition(), deadLetter.offset());
    }

    /**
     * @param key a record key: text, or UTF-8 bytes
     * @return the order ID when the key is a UUID in canonical form (either case), else {@code null}
     */
    static @Nullable UUID orderId(@Nullable Object key) {
        String text = key instanceof String string ? string
                : key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : null;
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? id : null;
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }
}
