package dev.pedidos.notification;

import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.groups.rewind.RewindableListener;

/**
 * The Kafka edge of notification: one confirmation per order of the source topic, through
 * {@link OrderConfirmations#confirm}.
 *
 * <p>Group, deserializers and commit policy come from {@code spring.kafka.*} in
 * {@code application.yml}: Boot's container factory commits a record's offset only after this
 * method returned (ack mode BATCH), that is after the e-mail was sent and logged in the database.
 * A thrown exception goes to the error handler of the dead-letter module ({@code DeadLetterAutoConfiguration}): retried with
 * back-off, then dead-lettered; retried without end while the database is unavailable.
 */
@Component
class NotificationListener extends RewindableListener {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final OrderConfirmations confirmations;
    private final String topic;
    private final String group;

    NotificationListener(OrderConfirmations confirmations, PedidosProperties properties, KafkaProperties kafka) {
        this.confirmations = confirmations;
        this.topic = properties.sourceTopic();
        this.group = kafka.getConsumer().getGroupId();
    }

    /** @return the source topic, read by the {@code @KafkaListener} expression below */
    public String topic() {
        return topic;
    }

    /**
     * Confirms the order to its customer unless it was confirmed before, and logs one line.
     *
     * @param record key = order ID, value = the event (an undeserializable value never gets here:
     *               the container dead-letters it before calling this method)
     * @throws IllegalArgumentException when no confirmation can be composed, see {@link OrderConfirmations#compose}
     * @throws NullPointerException     for a record without value (a tombstone)
     * @throws RuntimeException         when the e-mail was not accepted or the sent log failed, see
     *                                  {@link OrderConfirmations#confirm}
     */
    // The group's replay topic too: dead letters an operator sends back (consumer-groups' DeadLetters).
    @KafkaListener(topics = {"#{__listener.topic()}", "${pedidos.replay.topic}"})
    void onOrder(ConsumerRecord<String, OrderCreated> record) {
        OrderCreated order = Objects.requireNonNull(record.value(), "record has no value");
        OrderConfirmations.Confirmation confirmation = confirmations.confirm(order, record.partition(), record.offset());
        OrderConfirmation message = confirmation.message();
        switch (confirmation.outcome()) {
            case SENT -> log.info("E-mailed order {} (group {}, partition {}, offset {}) to {}: {}", order.orderId(),
                    group, record.partition(), record.offset(), message.to(), message.subject());
            case ALREADY_SENT -> log.info("Order {} (group {}, partition {}, offset {}) already sent, not e-mailed again",
                    order.orderId(), group, record.partition(), record.offset());
            case DUPLICATE -> log.warn("E-mailed order {} (group {}, partition {}, offset {}) to {} again: another "
                    + "delivery had sent it meanwhile, the customer has two e-mails with Message-ID {}",
                    order.orderId(), group, record.partition(), record.offset(), message.to(), message.messageId());
        }
    }
}
