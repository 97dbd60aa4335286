package dev.pedidos.events;

import java.math.BigDecimal;

/**
 * One line of an order, as carried by {@link OrderCreated}.
 *
 * @param sku       the store's stock-keeping unit
 * @param name      product name shown to the customer
 * @param quantity  units ordered, greater than zero
 * @param unitPrice price of one unit in the order's currency, an exact decimal
 */
public record OrderItem(String sku, String name, int quantity, BigDecimal unitPrice) {
}
