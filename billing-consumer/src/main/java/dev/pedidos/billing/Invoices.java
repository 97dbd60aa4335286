package dev.pedidos.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

/**
 * The billing rule: one order, one invoice, computed exactly with {@link BigDecimal} (never a
 * binary float), and what makes two invoices of one order "the same" ({@link #fingerprint}).
 */
final class Invoices {

    private Invoices() {
    }

    /**
     * Issues the invoice of an order. The result depends on the event alone, so issuing it again
     * for a redelivered event gives an equal invoice.
     *
     * @param order the event as read from Kafka
     * @return the invoice, whose total is recomputed from the items; every amount (unit prices, line
     *         totals, total) carries the currency's minor unit as its scale (ISO 4217: BRL 2, so a
     *         unit price of {@code 1} is {@code 1.00}; JPY 0; KWD 3)
     * @throws IllegalArgumentException when the currency is not an ISO 4217 code with a minor unit
     *         ({@link Currency#getDefaultFractionDigits()}), a price has more decimals than that, or the
     *         order has no ID, currency, occurredAt, items or
     *         customer with name and e-mail (the customer ID may be null: a guest), an item has a quantity below 1 or no unit price,
     *         or the event's {@code totalAmount} differs from Σ quantity × unitPrice (compared by
     *         value, so 10.0 equals 10.00)
     */
    static Invoice issue(OrderCreated order) {
        require(order.orderId() != null, "order has no orderId");
        require(order.currency() != null, "order %s has no currency", order.orderId());
        int minorUnit = minorUnit(order);
        require(order.occurredAt() != null, "order %s has no occurredAt", order.orderId());
        Customer customer = order.customer();
        // The customer ID is null for a guest checkout (OrderCreated v1); name and e-mail are always set.
        require(customer != null && customer.name() != null && customer.email() != null,
                "order %s has no customer with name and email: %s", order.orderId(), customer);
        require(order.items() != null, "order %s has no items", order.orderId());
        require(!order.items().isEmpty(), "order %s has no items", order.orderId());
        List<Invoice.Line> lines = order.items().stream().map(item -> line(order, item, minorUnit)).toList();
        BigDecimal total = lines.stream().map(Invoice.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        require(order.totalAmount() != null && order.totalAmount().compareTo(total) == 0,
                "order %s states totalAmount %s but its items add up to %s", order.orderId(), order.totalAmount(), total);
        return new Invoice(number(order), order.orderId(), order.customer(), lines, total, order.currency(),
                order.occurredAt());
    }

    /**
     * The content fingerprint of an invoice: SHA-256, as 64 lower-case hex digits, of its customer (id,
     * name, e-mail), currency, total and lines (sku, name, quantity, unit price), in this order.
     *
     * <p>"Same content" means what the customer is billed for, not which event said so: two events of
     * one order ID, such as a POST retried with the same {@code Idempotency-Key} (a new
     * {@code eventId} and a new {@code occurredAt}) or a record delivered twice, give the same
     * fingerprint and make the second a <em>duplicate</em>; a different customer, item, quantity,
     * price or currency makes it a <em>conflict</em>. Left out: {@code eventId} and
     * {@code occurredAt} (they differ between retries), the order ID (equal by definition when two
     * invoices are compared) and the number and line totals (derived from what is included). Amounts
     * are compared by value: {@code 10.0} and {@code 10.00} are the same price.
     *
     * <p>Each field is written as its UTF-8 length (4 bytes, -1 for none) and bytes, so that no two
     * different contents share an input (e.g. name "a|b" versus names "a" and "b").
     *
     * @param invoice an invoice from {@link #issue}
     * @return 64 hex digits, stable across releases unless the prefix {@code invoice-v1} changes
     */
    static String fingerprint(Invoice invoice) {
        MessageDigest sha256 = sha256();
        field(sha256, "invoice-v1");
        field(sha256, invoice.customer().id());
        field(sha256, invoice.customer().name());
        field(sha256, invoice.customer().email());
        field(sha256, invoice.currency());
        field(sha256, amount(invoice.total()));
        field(sha256, Integer.toString(invoice.lines().size()));
        for (Invoice.Line line : invoice.lines()) {
            field(sha256, line.sku());
            field(sha256, line.name());
            field(sha256, Integer.toString(line.quantity()));
            field(sha256, amount(line.unitPrice()));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String amount(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    private static void field(MessageDigest digest, @Nullable String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /**
     * Invoice number of an order: {@code INV-} and the first 12 hex digits of the order ID in upper
     * case, e.g. {@code INV-1A2B3C4D5E6F} for {@code 1a2b3c4d-5e6f-...}. For people: the ledger is
     * keyed by the order ID itself.
     */
    private static String number(OrderCreated order) {
        return "INV-" + order.orderId().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    private static Invoice.Line line(OrderCreated order, OrderItem item, int minorUnit) {
        require(item.quantity() > 0, "order %s: item %s has quantity %d", order.orderId(), item.sku(), item.quantity());
        require(item.unitPrice() != null, "order %s: item %s has no unitPrice", order.orderId(), item.sku());
        require(item.unitPrice().stripTrailingZeros().scale() <= minorUnit,
                "order %s: item %s has unitPrice %s, more decimals than %s allows (%d)", order.orderId(), item.sku(),
                item.unitPrice(), order.currency(), minorUnit);
        BigDecimal unitPrice = item.unitPrice().setScale(minorUnit, RoundingMode.UNNECESSARY);
        BigDecimal lineTotal = unitPrice.multiply(BigDecimal.valueOf(item.quantity()));
        return new Invoice.Line(item.sku(), item.name(), item.quantity(), unitPrice, lineTotal);
    }

    /** The currency's minor unit (ISO 4217, as the JDK has it); funds' and metals' codes have none. */
    private static int minorUnit(OrderCreated order) {
        int digits;
        try {
            digits = Currency.getInstance(order.currency()).getDefaultFractionDigits();
        }
        catch (IllegalArgumentException notIso4217) {
            digits = -1;
        }
        require(digits >= 0, "order %s: currency %s is not an ISO 4217 currency with a minor unit", order.orderId(),
                order.currency());
        return digits;
    }

    private static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(format.formatted(args));
        }
    }
}
