package dev.pedidos.notification;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.groups.rewind.RewindableListener;
import dev.pedidos.events.OrderStatusChanged.Email;
import dev.pedidos.groups.deadletter.DeadLetterAutoConfiguration;
import dev.pedidos.groups.deadletter.RecordValues;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.tracing.RecordTracing;
import dev.pedidos.notification.OrderConfirmations.Confirmation;
import dev.pedidos.notification.OrderConfirmations.Delivery;

/**
 * The Kafka edge of notification: the confirmations of one poll's orders, through
 * {@link OrderConfirmations#confirmAll}.
 *
 * <p>Group, deserializers, batch size and commit policy come from {@code spring.kafka.*} in
 * {@code application.yml}: Boot's container factory hands this listener the records of one poll
 * (listener type BATCH) and commits their offsets only after it returned (ack mode BATCH), that is
 * after the e-mails were sent and logged in the database and their steps acknowledged.
 *
 * <p>Every order e-mailed, or found already e-mailed in the sent log (a redelivery), publishes its
 * {@code CONFIRMATION_SENT} step to the status topic, asynchronously, awaited once per poll before
 * the offsets are committed, so a crash republishes a step instead of losing it.
 *
 * <p>A record that fails does not cost the others of its poll a second e-mail: every e-mail of the
 * poll is sent and logged first, then a {@link BatchListenerFailedException} names the first record
 * that failed to the error handler of the dead-letter module ({@link DeadLetterAutoConfiguration}).
 * It commits the offsets before that record, retries or dead-letters it, and hands the records
 * after it to this listener again, which finds those the server took in the sent log.
 *
 * <p>The line about each order is written in that record's trace ({@link RecordTracing}): it
 * carries the trace ID of the {@code POST} that accepted the order.
 */
@Component
class NotificationListener extends RewindableListener {

    /** The listener container's ID in the {@code KafkaListenerEndpointRegistry}. */
    static final String ID = "notification-orders";

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final OrderConfirmations confirmations;
    private final OrderStatusPublisher status;
    private final RecordTracing tracing;
    private final String topic;
    private final String group;

    NotificationListener(OrderConfirmations confirmations, OrderStatusPublisher status, RecordTracing tracing,
            PedidosProperties properties, KafkaProperties kafka) {
        this.confirmations = confirmations;
        this.status = status;
        this.tracing = tracing;
        this.topic = properties.sourceTopic();
        this.group = kafka.getConsumer().getGroupId();
    }

    /** @return the source topic, read by the {@code @KafkaListener} expression below */
    public String topic() {
        return topic;
    }

    /**
     * Confirms the orders of one poll to their customers, each unless it was confirmed before, logs
     * one line per record, and publishes each confirmed order's {@code CONFIRMATION_SENT} step (also
     * when it was confirmed before).
     *
     * @param records key = order ID, value = the event, or {@code null} with Spring's
     *                deserialization-exception header when the value is not an {@code OrderCreated}
     * @throws BatchListenerFailedException naming the first record that was not confirmed: its value
     *         was not deserializable ({@link DeserializationException}) or it had none (a tombstone,
     *         {@link IllegalArgumentException}), both dead-lettered at once ({@link RecordValues}), no
     *         confirmation could be composed ({@link IllegalArgumentException}, dead-lettered at once),
     *         the SMTP server did not accept it (see {@link Notifier#send}), the sent
     *         log failed (retried without limit while the database is unavailable), or its step was
     *         not acknowledged ({@link StatusNotPublishedException}, retried without limit)
     */
    // The group's replay topic too: dead letters an operator sends back (consumer-groups' DeadLetters).
    @KafkaListener(id = ID, idIsGroup = false, topics = {"#{__listener.topic()}", "${pedidos.replay.topic}"})
    void onOrders(List<ConsumerRecord<String, OrderCreated>> records) {
        // The records up to the first one without an event; that one fails after them.
        List<Delivery> deliveries = new ArrayList<>(records.size());
        RuntimeException unreadable = null;
        for (ConsumerRecord<String, OrderCreated> record : records) {
            try {
                deliveries.add(new Delivery(RecordValues.valueOf(record), record.partition(), record.offset()));
            }
            catch (RuntimeException e) {
                unreadable = e;
                break;
            }
        }
        List<Confirmation> results = confirm(records, deliveries);
        OrderStatusPublisher.Batch steps = status.batch();
        for (int i = 0; i < results.size(); i++) {
            ConsumerRecord<String, OrderCreated> record = records.get(i);
            Confirmation result = results.get(i);
            if (result.failure() != null) {
                // The records after it come again once it is retried or dead-lettered: their steps then.
                awaitSteps(steps);
                throw new BatchListenerFailedException(failure(record, result.failure()), result.failure(), record);
            }
            tracing.run(record, () -> logLine(record, result));
            steps.add(record, status.confirmationSent(record, result.message().orderId(),
                    new Email(result.message().messageId(), result.message().to())));
        }
        awaitSteps(steps);
        if (unreadable != null) {
            ConsumerRecord<String, OrderCreated> record = records.get(results.size());
            throw new BatchListenerFailedException(failure(record, unreadable), unreadable, record);
        }
    }

    private List<Confirmation> confirm(List<ConsumerRecord<String, OrderCreated>> records, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        try {
            return confirmations.confirmAll(deliveries);
        }
        catch (RuntimeException e) {
            // The sent log failed: nothing of the poll is committed (an unavailable database: retried without limit).
            ConsumerRecord<String, OrderCreated> first = records.getFirst();
            throw new BatchListenerFailedException(failure(first, e), e, first);
        }
    }

    private void awaitSteps(OrderStatusPublisher.Batch steps) {
        try {
            steps.await();
        }
        catch (StatusNotPublishedException e) {
            ConsumerRecord<?, ?> failed = steps.failed();
            throw new BatchListenerFailedException(e.getMessage(), e, failed);
        }
    }

    private void logLine(ConsumerRecord<String, OrderCreated> record, Confirmation result) {
        OrderConfirmation message = result.message();
        switch (result.outcome()) {
            case SENT -> log.info("E-mailed order {} (group {}, partition {}, offset {}) to {}: {}", message.orderId(),
                    group, record.partition(), record.offset(), message.to(), message.subject());
            case ALREADY_SENT -> log.info("Order {} (group {}, partition {}, offset {}) already sent, not e-mailed again",
                    message.orderId(), group, record.partition(), record.offset());
            case DUPLICATE -> log.warn("E-mailed order {} (group {}, partition {}, offset {}) to {} again: another "
                    + "delivery had sent it meanwhile, the customer has two e-mails with Message-ID {}",
                    message.orderId(), group, record.partition(), record.offset(), message.to(), message.messageId());
            case FAILED -> throw new IllegalStateException("a failed confirmation is not logged as done");
        }
    }

    private String failure(ConsumerRecord<?, ?> record, Exception e) {
        return "Order %s (group %s, partition %d, offset %d) not confirmed: %s".formatted(record.key(), group,
                record.partition(), record.offset(), e.getMessage());
    }
}
