package dev.pedidos.notification;

import java.util.UUID;

/**
 * The e-mail that confirms an order to its customer, composed by {@link OrderConfirmations#compose}.
 *
 * @param orderId the order confirmed
 * @param to      the customer's e-mail address
 * @param subject one line naming the order number
 * @param body    plain text: greeting, one line per item, total
 */
record OrderConfirmation(UUID orderId, String to, String subject, String body) {
}
