package dev.pedidos.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.groups.deadletter.DeadLetterAutoConfiguration;
import dev.pedidos.groups.deadletter.RecordValues;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.tracing.RecordTracing;
import dev.pedidos.groups.rewind.RewindableListener;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Kafka edge of billing: one invoice per order ID from the {@code OrderCreated} records of the
 * source topic, a poll at a time.
 *
 * <p>Group, deserializers, batch size and commit policy come from {@code spring.kafka.*} in
 * {@code application.yml}: Boot's container factory hands this listener the records of one poll
 * (listener type BATCH) and commits their offsets only after it returned (ack mode BATCH), that is
 * after the ledger's transaction committed. A crash before that means redelivery, which the ledger
 * absorbs (one invoice per order ID).
 *
 * <p>A record that cannot be billed does not hold up the others of its poll: the invoices of the
 * records before it are recorded, then a {@link BatchListenerFailedException} names it to the error
 * handler of the dead-letter module ({@link DeadLetterAutoConfiguration}), which commits the offsets before it, retries or
 * dead-letters it, and then hands the records after it to this listener again.
 *
 * <p>Each order invoiced, or found already invoiced (a redelivery, a republished order), gets its
 * {@code INVOICED} step on the status topic, with the ledger's invoice number. The steps of a poll
 * are sent asynchronously once the ledger's transaction committed and awaited together before the
 * listener returns, hence before the offsets are committed: a crash republishes them, never loses
 * them. The log lines and the step of a record are in that record's trace ({@link RecordTracing}:
 * its {@code traceparent}, trace ID in the MDC), since the container does not observe the records
 * of a batch listener while it works on them.
 */
@Component
class BillingListener extends RewindableListener {

    /** The listener container's ID in the {@code KafkaListenerEndpointRegistry}. */
    static final String ID = "billing-orders";

    private static final Logger log = LoggerFactory.getLogger(BillingListener.class);

    private final InvoiceLedger ledger;
    private final String topic;
    private final String group;
    private final OrderStatusPublisher status;
    private final RecordTracing tracing;
    private final MeterRegistry meters;

    BillingListener(InvoiceLedger ledger, PedidosProperties properties, KafkaProperties kafka,
            OrderStatusPublisher status, RecordTracing tracing, MeterRegistry meters) {
        this.ledger = ledger;
        this.meters = meters;
        this.topic = properties.sourceTopic();
        this.group = kafka.getConsumer().getGroupId();
        this.status = status;
        this.tracing = tracing;
    }

    /** @return the source topic, read by the {@code @KafkaListener} expression below */
    public String topic() {
        return topic;
    }

    /**
     * Issues the invoices of one poll's orders and records them in the ledger in one transaction;
     * an order already invoiced is logged as a duplicate (same content) or a conflict (different
     * content, the first invoice is kept), and acknowledged either way. Then waits until the
     * brokers acknowledged the {@code INVOICED} steps of the invoiced orders and the duplicates (a
     * conflict publishes none: its content is not the invoice's).
     *
     * @param records key = order ID, value = the event, or {@code null} with Spring's
     *                deserialization-exception header when the value is not an {@code OrderCreated}
     * @throws BatchListenerFailedException naming the first record that could not be billed: its
     *         value was not deserializable ({@link DeserializationException}) or it had none (a
     *         tombstone, {@link IllegalArgumentException}), both dead-lettered at once
     *         ({@link RecordValues}), it could not be invoiced ({@link IllegalArgumentException} from
     *         {@link Invoices#issue}, dead-lettered at once), or the ledger failed (retried
     *         without limit while the database is unavailable, see
     *         {@link DeadLetterAutoConfiguration#databaseUnavailable}), or the {@code INVOICED}
     *         step of a record was not acknowledged in time (a {@link StatusNotPublishedException}
     *         as cause; retried without limit, see {@link DeadLetterAutoConfiguration#statusNotPublished})
     */
    // The group's replay topic too: dead letters an operator sends back (consumer-groups' DeadLetters).
    @KafkaListener(id = ID, idIsGroup = false, topics = {"#{__listener.topic()}", "${pedidos.replay.topic}"})
    void onOrders(List<ConsumerRecord<String, OrderCreated>> records) {
        OrderStatusPublisher.Batch steps = status.batch();
        try {
            bill(records, steps);
        }
        catch (BatchListenerFailedException e) {
            // The offsets before the failed record are committed: their steps must be on the brokers first.
            awaitSteps(steps);
            throw e;
        }
        awaitSteps(steps);
    }

    private void bill(List<ConsumerRecord<String, OrderCreated>> records, OrderStatusPublisher.Batch steps) {
        List<Billed> billed = new ArrayList<>(records.size());
        for (ConsumerRecord<String, OrderCreated> record : records) {
            Invoice invoice;
            try {
                invoice = Invoices.issue(RecordValues.valueOf(record));
            }
            catch (RuntimeException e) {
                // The invoices before this record first, so that the error handler may commit their offsets.
                record(billed, steps);
                throw new BatchListenerFailedException(failure(record, e), e, record);
            }
            billed.add(new Billed(record, new InvoiceLedger.Entry(invoice, record.partition(), record.offset())));
        }
        record(billed, steps);
    }

    /**
     * Waits for the steps sent so far, once per poll.
     *
     * @throws BatchListenerFailedException naming the first record whose step was not acknowledged:
     *         the records before it are committed, it and the ones after it are delivered again
     */
    private void awaitSteps(OrderStatusPublisher.Batch steps) {
        try {
            steps.await();
        }
        catch (StatusNotPublishedException e) {
            ConsumerRecord<?, ?> first = steps.failed();
            if (first != null) {
                throw new BatchListenerFailedException(e.getMessage(), e, first);
            }
            // (acknowledged just after the deadline: all steps are on the brokers)
        }
    }

    /**
     * Records the invoices in one transaction. When that fails for a reason other than an unavailable
     * database (a row the database refuses), they are recorded one at a time to find the record at
     * fault: the ones before it are recorded, it goes to the error handler, the ones after it come
     * to this listener again after it.
     */
    private void record(List<Billed> billed, OrderStatusPublisher.Batch steps) {
        if (billed.isEmpty()) {
            return;
        }
        try {
            logAndPublish(billed, ledger.record(billed.stream().map(Billed::entry).toList()), steps);
        }
        catch (RuntimeException e) {
            if (billed.size() == 1 || DeadLetterAutoConfiguration.databaseUnavailable(e)) {
                ConsumerRecord<String, OrderCreated> first = billed.getFirst().record();
                throw new BatchListenerFailedException(failure(first, e), e, first);
            }
            log.warn("Recording {} invoices (group {}) failed, recording them one at a time: {}", billed.size(), group,
                    e.toString());
            for (Billed one : billed) {
                record(List.of(one), steps);
            }
        }
    }

    /** After the ledger's commit: per record, in its trace, its log line and its step (sent, not awaited). */
    private void logAndPublish(List<Billed> billed, List<InvoiceLedger.Recorded> results,
            OrderStatusPublisher.Batch steps) {
        for (int i = 0; i < billed.size(); i++) {
            Billed one = billed.get(i);
            InvoiceLedger.Recorded result = results.get(i);
            tracing.run(one.record(), () -> logAndPublish(one, result, steps));
        }
    }

    private void logAndPublish(Billed one, InvoiceLedger.Recorded result, OrderStatusPublisher.Batch steps) {
        Invoice invoice = one.entry().invoice();
        ConsumerRecord<String, OrderCreated> record = one.record();
        meters.counter("pedidos.invoices", "outcome", result.outcome().name().toLowerCase(Locale.ROOT)).increment();
        switch (result.outcome()) {
            case INVOICED -> log.info("Invoiced order {} (group {}, partition {}, offset {}): {} total {} {}",
                    invoice.orderId(), group, record.partition(), record.offset(), invoice.number(),
                    invoice.total(), invoice.currency());
            case DUPLICATE -> log.info("Skipped duplicate of order {} (group {}, partition {}, offset {}): already "
                    + "invoiced as {} from partition {}, offset {}", invoice.orderId(), group, record.partition(),
                    record.offset(), result.number(), result.partition(), result.offset());
            case CONFLICT -> log.warn("Skipped conflict for order {} (group {}, partition {}, offset {}): its content "
                    + "differs from invoice {} from partition {}, offset {}, which is kept; this one has total {} {}",
                    invoice.orderId(), group, record.partition(), record.offset(), result.number(), result.partition(),
                    result.offset(), invoice.total(), invoice.currency());
        }
        if (result.outcome() != InvoiceLedger.Outcome.CONFLICT) {
            // A duplicate has the same content as the ledger's invoice (same fingerprint): its total is the invoice's.
            steps.add(record, status.invoiced(record, invoice.orderId(),
                    new OrderStatusChanged.Invoice(result.number(), invoice.total(), invoice.currency())));
        }
    }

    private String failure(ConsumerRecord<?, ?> record, Exception e) {
        return "Order %s (group %s, partition %d, offset %d) not billed: %s".formatted(record.key(), group,
                record.partition(), record.offset(), e.getMessage());
    }

    /** A record of the poll and the invoice issued from it. */
    private record Billed(ConsumerRecord<String, OrderCreated> record, InvoiceLedger.Entry entry) {
    }
}
