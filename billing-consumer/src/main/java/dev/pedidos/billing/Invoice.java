package dev.pedidos.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.pedidos.events.Customer;

/**
 * The invoice of one order, issued by {@link Invoices#issue}.
 *
 * @param number   human-readable number derived from the order ID ({@code INV-} and 12 hex digits)
 * @param orderId  the order; at most one invoice exists per order ID
 * @param customer who is billed
 * @param lines    one line per order item, in the order's item order
 * @param total    exact sum of the line totals, in {@code currency}
 * @param currency ISO 4217 code of every amount
 * @param issuedAt the moment the order was accepted, so that a redelivered event yields an equal invoice
 */
record Invoice(
        String number,
        UUID orderId,
        Customer customer,
        List<Line> lines,
        BigDecimal total,
        String currency,
        Instant issuedAt) {

    Invoice {
        lines = List.copyOf(lines);
    }

    /**
     * One invoice line.
     *
     * @param sku       stock-keeping unit
     * @param name      product name
     * @param quantity  units, greater than zero
     * @param unitPrice price of one unit
     * @param lineTotal {@code quantity × unitPrice}, exact
     */
    record Line(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }
}
