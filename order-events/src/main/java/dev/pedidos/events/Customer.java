package dev.pedidos.events;

/**
 * The customer of an order, as carried by {@link OrderCreated}.
 *
 * @param id    the store's customer ID, {@code null} for a guest checkout
 * @param name  display name used in invoices and e-mails
 * @param email address the notification is sent to
 */
public record Customer(String id, String name, String email) {
}
