package dev.pedidos.notification;

import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pedidos.events.OrderCreated;

/**
 * The Kafka edge of notification: one confirmation per {@code OrderCreated} record of the source topic.
 *
 * <p>Group, deserializers and commit policy come from {@code spring.kafka.*} in
 * {@code application.yml}: Boot's container factory commits a record's offset only after this
 * method returned (ack mode BATCH). A thrown exception goes to the error handler of
 * {@link DeadLetterConfiguration}: retried with back-off, then dead-lettered.
 */
@Component
class NotificationListener {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final Notifier notifier;
    private final String topic;
    private final String group;

    NotificationListener(Notifier notifier, PedidosProperties properties, KafkaProperties kafka) {
        this.notifier = notifier;
        this.topic = properties.sourceTopic();
        this.group = kafka.getConsumer().getGroupId();
    }

    /** @return the source topic, read by the {@code @KafkaListener} expression below */
    public String topic() {
        return topic;
    }

    /**
     * Composes the customer's confirmation and sends it.
     *
     * @param record key = order ID, value = the event (an undeserializable value never gets here:
     *               the container dead-letters it before calling this method)
     * @throws IllegalArgumentException when no confirmation can be composed, see {@link OrderConfirmations#compose}
     * @throws NullPointerException     for a record without value (a tombstone)
     * @throws RuntimeException         when the notifier could not send it
     */
    @KafkaListener(topics = "#{__listener.topic()}")
    void onOrder(ConsumerRecord<String, OrderCreated> record) {
        OrderCreated order = Objects.requireNonNull(record.value(), "record has no value");
        OrderConfirmation message = OrderConfirmations.compose(order);
        notifier.send(message);
        log.info("Confirmed order {} (group {}, partition {}, offset {}) to {}: {}", order.orderId(), group,
                record.partition(), record.offset(), message.to(), message.subject());
    }
}
