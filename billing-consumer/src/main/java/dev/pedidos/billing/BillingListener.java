package dev.pedidos.billing;

import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pedidos.events.OrderCreated;

/**
 * The Kafka edge of billing: one invoice per {@code OrderCreated} record of the source topic.
 *
 * <p>Group, deserializers and commit policy come from {@code spring.kafka.*} in
 * {@code application.yml}: Boot's container factory commits a record's offset only after this
 * method returned (ack mode BATCH). A thrown exception goes to the error handler of
 * {@link DeadLetterConfiguration}: retried with back-off, then dead-lettered.
 */
@Component
class BillingListener {

    private static final Logger log = LoggerFactory.getLogger(BillingListener.class);

    private final InvoiceLedger ledger;
    private final String topic;
    private final String group;

    BillingListener(InvoiceLedger ledger, PedidosProperties properties, KafkaProperties kafka) {
        this.ledger = ledger;
        this.topic = properties.sourceTopic();
        this.group = kafka.getConsumer().getGroupId();
    }

    /** @return the source topic, read by the {@code @KafkaListener} expression below */
    public String topic() {
        return topic;
    }

    /**
     * Issues the invoice of the order and records it in the ledger; a redelivered order is found
     * there and not invoiced again.
     *
     * @param record key = order ID, value = the event (an undeserializable value never gets here:
     *               the container dead-letters it before calling this method)
     * @throws IllegalArgumentException when the order cannot be invoiced, see {@link Invoices#issue}
     * @throws NullPointerException     for a record without value (a tombstone)
     */
    @KafkaListener(topics = "#{__listener.topic()}")
    void onOrder(ConsumerRecord<String, OrderCreated> record) {
        OrderCreated order = Objects.requireNonNull(record.value(), "record has no value");
        Invoice invoice = Invoices.issue(order);
        boolean recorded = ledger.record(invoice, record.partition(), record.offset());
        log.info("{} order {} (group {}, partition {}, offset {}): {} total {} {}",
                recorded ? "Invoiced" : "Skipped already invoiced", order.orderId(), group,
                record.partition(), record.offset(), invoice.number(), invoice.total(), invoice.currency());
    }
}
