package dev.pedidos.groups.status;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.SendResult;

import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.events.OrderStatusChanged.DeadLetter;
import dev.pedidos.events.OrderStatusChanged.Email;
import dev.pedidos.events.OrderStatusChanged.Invoice;
import dev.pedidos.events.OrderStatusChanged.Replay;
import dev.pedidos.events.OrderStatusChanged.Stage;

/**
 * Publishes the steps of orders' journeys ({@link OrderStatusChanged}) to the status topic for one
 * consumer group, keyed by order ID, with the source record's W3C {@code traceparent}.
 *
 * <p>A listener publishes a step before its source record's offset is committed, so that a crash
 * republishes the step instead of losing it. Sends are asynchronous; a batch listener collects the
 * steps of one poll in a {@link Batch} and awaits them all once, after its database transaction:
 * <pre>{@code
 * OrderStatusPublisher.Batch steps = publisher.batch();
 * for (...) steps.add(record, publisher.invoiced(record, orderId, invoice));
 * steps.await(); // throws StatusNotPublishedException: the poll is retried
 * }</pre>
 */
public class OrderStatusPublisher {

    /** The W3C Trace Context header (https://www.w3.org/TR/trace-context/), copied from the source record. */
    public static final String TRACEPARENT_HEADER = "traceparent";

    private final KafkaOperations<Object, Object> template;
    private final StatusTopicProperties topic;
    private final String group;
    private final Clock clock;

    /**
     * @param template a template whose value serializer writes {@link OrderStatusChanged} as JSON and
     *                 whose key serializer writes strings
     * @param topic    the status topic
     * @param group    the consumer group that publishes, e.g. {@code billing}
     * @param clock    source of each step's {@code at}
     */
    public OrderStatusPublisher(KafkaOperations<Object, Object> template, StatusTopicProperties topic, String group,
            Clock clock) {
        this.template = template;
        this.topic = topic;
        this.group = group;
        this.clock = clock;
    }

    /** @return the consumer group whose steps this publishes */
    public String group() {
        return group;
    }

    /** @return the status topic's name */
    public String topic() {
        return topic.topic();
    }

    /**
     * @param source  the record billing processed
     * @param orderId the order
     * @param invoice the invoice recorded for it
     * @return an {@code INVOICED} step of this group, now
     */
    public OrderStatusChanged invoiced(ConsumerRecord<?, ?> source, UUID orderId, Invoice invoice) {
        return step(source, orderId, Stage.INVOICED, invoice, null, null, null);
    }

    /**
     * @param source  the record notification processed
     * @param orderId the order
     * @param email   the e-mail the SMTP server accepted
     * @return a {@code CONFIRMATION_SENT} step of this group, now
     */
    public OrderStatusChanged confirmationSent(ConsumerRecord<?, ?> source, UUID orderId, Email email) {
        return step(source, orderId, Stage.CONFIRMATION_SENT, null, email, null, null);
    }

    /**
     * @param source     the record the group could not process
     * @param orderId    the order, read from the record's key
     * @param deadLetter why, and where the dead-letter record is
     * @return a {@code DEAD_LETTERED} step of this group, now
     */
    public OrderStatusChanged deadLettered(ConsumerRecord<?, ?> source, UUID orderId, DeadLetter deadLetter) {
        return step(source, orderId, Stage.DEAD_LETTERED, null, null, deadLetter, null);
    }

    /**
     * @param source  the dead-letter record sent back through the group
     * @param orderId the order, read from the record's key
     * @param replay  where the dead letter was and how often it has been replayed
     * @return a {@code REPLAYED} step of this group, now
     */
    public OrderStatusChanged replayed(ConsumerRecord<?, ?> source, UUID orderId, Replay replay) {
        return step(source, orderId, Stage.REPLAYED, null, null, null, replay);
    }

    private OrderStatusChanged step(ConsumerRecord<?, ?> source, UUID orderId, Stage stage, Invoice invoice,
            Email email, DeadLetter deadLetter, Replay replay) {
        return new OrderStatusChanged(UUID.randomUUID(), orderId, stage, group, clock.instant(), source.topic(),
                source.partition(), source.offset(), invoice, email, deadLetter, replay);
    }

    /**
     * Starts sending one step; the caller awaits it (or use {@link #publish}).
     *
     * @param source the record the step is about; its {@code traceparent} header is copied
     * @param step   the step
     * @return completes when the brokers acknowledged (acks=all), or exceptionally: also when the
     *         producer failed the send at once (Spring's {@code KafkaTemplate} throws a
     *         {@link KafkaException} for that, e.g. metadata not available within
     *         {@code max.block.ms}); the future then carries its cause
     */
    public CompletableFuture<SendResult<Object, Object>> send(ConsumerRecord<?, ?> source, OrderStatusChanged step) {
        Headers headers = new RecordHeaders();
        headers.add(OrderStatusChanged.EVENT_TYPE_HEADER, bytes(OrderStatusChanged.EVENT_TYPE));
        headers.add(OrderStatusChanged.SCHEMA_VERSION_HEADER, bytes(OrderStatusChanged.SCHEMA_VERSION));
        Header traceparent = source.headers().lastHeader(TRACEPARENT_HEADER);
        if (traceparent != null) {
            headers.add(TRACEPARENT_HEADER, traceparent.value());
        }
        try {
            return template.send(new ProducerRecord<>(topic.topic(), null, step.orderId().toString(), step, headers));
        }
        catch (KafkaException failedAtOnce) {
            // The same outcome as a send that fails later: a step not acknowledged, which the group retries
            // without limit (StatusNotPublishedException), rather than the listener's failure of its own work.
            return CompletableFuture.failedFuture(failedAtOnce.getCause() != null ? failedAtOnce.getCause() : failedAtOnce);
        }
    }

    /**
     * Sends one step and waits for its acknowledgement.
     *
     * @param source the record the step is about
     * @param step   the step
     * @throws StatusNotPublishedException when it was not acknowledged within the publish timeout
     */
    public void publish(ConsumerRecord<?, ?> source, OrderStatusChanged step) {
        Batch batch = batch();
        batch.add(source, step);
        batch.await();
    }

    /** @return an empty batch of sends, to await once */
    public Batch batch() {
        return new Batch();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The steps of one poll: sent as they are added, awaited together. Not thread-safe. */
    public final class Batch {

        private final List<Pending> pending = new ArrayList<>();

        private Batch() {
        }

        /**
         * Starts sending a step.
         *
         * @param source the record the step is about
         * @param step   the step
         */
        public void add(ConsumerRecord<?, ?> source, OrderStatusChanged step) {
            pending.add(new Pending(source, step, send(source, step)));
        }

        /** @return how many steps were added */
        public int size() {
            return pending.size();
        }

        /**
         * Waits until every step added is acknowledged, at most the publish timeout in all.
         *
         * @throws StatusNotPublishedException naming the first step not acknowledged, with the
         *         send's failure or the timeout as its cause; {@link #failed} tells which record
         */
        public void await() {
            long deadline = System.nanoTime() + topic.publishTimeout().toNanos();
            for (Pending one : pending) {
                try {
                    one.send().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StatusNotPublishedException(describe(one), e);
                }
                catch (ExecutionException e) {
                    throw new StatusNotPublishedException(describe(one), e.getCause());
                }
                catch (TimeoutException e) {
                    throw new StatusNotPublishedException(describe(one), e);
                }
            }
        }

        /**
         * @return the source record of the first step that is not acknowledged yet or failed, for a
         *         batch listener's {@code BatchListenerFailedException}; {@code null} when all are
         */
        public ConsumerRecord<?, ?> failed() {
            for (Pending one : pending) {
                if (!one.send().isDone() || one.send().isCompletedExceptionally()) {
                    return one.source();
                }
            }
            return null;
        }

        private String describe(Pending one) {
            return "%s of order %s (group %s, %s-%d@%d) not acknowledged by %s within %d ms".formatted(
                    one.step().stage(), one.step().orderId(), group, one.source().topic(), one.source().partition(),
                    one.source().offset(), topic.topic(), topic.publishTimeout().toMillis());
        }
    }

    private record Pending(ConsumerRecord<?, ?> source, OrderStatusChanged step,
            CompletableFuture<SendResult<Object, Object>> send) {
    }
}
