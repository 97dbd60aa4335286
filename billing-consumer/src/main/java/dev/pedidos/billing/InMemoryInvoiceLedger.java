package dev.pedidos.billing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The invoice ledger of this first version, in memory: lost on restart. Replaced in the next issue
 * by the PostgreSQL ledger, whose {@code UNIQUE (order_id)} makes redelivery harmless across
 * restarts.
 *
 * <p>Besides the one invoice per order it keeps every delivery in processing order, so that
 * duplicates and per-key ordering can be observed.
 */
@Component
class InMemoryInvoiceLedger implements InvoiceLedger {

    private static final Logger log = LoggerFactory.getLogger(InMemoryInvoiceLedger.class);

    /** A call of {@link #record}: the invoice issued and the record it came from. */
    record Delivery(Invoice invoice, int partition, long offset) {
    }

    private final Map<UUID, List<Delivery>> deliveries = new ConcurrentHashMap<>();

    /** Synchronized so that "first delivery of this order" is decided atomically. */
    @Override
    public synchronized boolean record(Invoice invoice, int partition, long offset) {
        List<Delivery> ofOrder = deliveries.computeIfAbsent(invoice.orderId(), id -> new CopyOnWriteArrayList<>());
        ofOrder.add(new Delivery(invoice, partition, offset));
        boolean first = ofOrder.size() == 1;
        log.debug("Ledger {} invoice {} of order {} (partition {}, offset {})",
                first ? "recorded" : "already has", invoice.number(), invoice.orderId(), partition, offset);
        return first;
    }

    /** @return the invoice recorded for the order, if any (the first one delivered) */
    Optional<Invoice> invoice(UUID orderId) {
        return deliveries.getOrDefault(orderId, List.of()).stream().findFirst().map(Delivery::invoice);
    }

    /** @return every delivery of the order's events, in processing order */
    List<Delivery> deliveries(UUID orderId) {
        return List.copyOf(deliveries.getOrDefault(orderId, List.of()));
    }
}
