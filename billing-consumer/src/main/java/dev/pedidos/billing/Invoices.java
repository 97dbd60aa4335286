package dev.pedidos.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

/**
 * The billing rule: one order, one invoice, computed exactly with {@link BigDecimal} (never a
 * binary float).
 */
final class Invoices {

    private Invoices() {
    }

    /**
     * Issues the invoice of an order. The result depends on the event alone, so issuing it again
     * for a redelivered event gives an equal invoice.
     *
     * @param order the event as read from Kafka
     * @return the invoice, whose total is recomputed from the items
     * @throws IllegalArgumentException when the order has no ID, currency or items, an item has a
     *         quantity below 1 or no unit price, or the event's {@code totalAmount} differs from
     *         Σ quantity × unitPrice (compared by value, so 10.0 equals 10.00)
     */
    static Invoice issue(OrderCreated order) {
        require(order.orderId() != null, "order has no orderId");
        require(order.currency() != null, "order %s has no currency", order.orderId());
        require(!order.items().isEmpty(), "order %s has no items", order.orderId());
        List<Invoice.Line> lines = order.items().stream().map(item -> line(order, item)).toList();
        BigDecimal total = lines.stream().map(Invoice.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        require(order.totalAmount() != null && order.totalAmount().compareTo(total) == 0,
                "order %s states totalAmount %s but its items add up to %s", order.orderId(), order.totalAmount(), total);
        return new Invoice(number(order), order.orderId(), order.customer(), lines, total, order.currency(),
                order.occurredAt());
    }

    /**
     * Invoice number of an order: {@code INV-} and the first 12 hex digits of the order ID in upper
     * case, e.g. {@code INV-1A2B3C4D5E6F} for {@code 1a2b3c4d-5e6f-...}. For people: the ledger is
     * keyed by the order ID itself.
     */
    private static String number(OrderCreated order) {
        return "INV-" + order.orderId().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    private static Invoice.Line line(OrderCreated order, OrderItem item) {
        require(item.quantity() > 0, "order %s: item %s has quantity %d", order.orderId(), item.sku(), item.quantity());
        require(item.unitPrice() != null, "order %s: item %s has no unitPrice", order.orderId(), item.sku());
        BigDecimal lineTotal = item.unitPrice().multiply(BigDecimal.valueOf(item.quantity()));
        return new Invoice.Line(item.sku(), item.name(), item.quantity(), item.unitPrice(), lineTotal);
    }

    private static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(format.formatted(args));
        }
    }
}
