package dev.pedidos.notification;

import java.util.UUID;

/**
 * The e-mail that confirms an order to its customer, composed by {@link OrderConfirmations#compose}.
 *
 * @param orderId   the order confirmed
 * @param messageId the {@code Message-ID} (RFC 5322 §3.6.4), with its angle brackets, derived from
 *                  the order ID alone: every e-mail about one order carries the same one, so that a
 *                  repeated e-mail is recognisable as such
 * @param to        the customer's e-mail address
 * @param subject   one line naming the order number
 * @param body      plain text: greeting, one line per item, total
 */
record OrderConfirmation(UUID orderId, String messageId, String to, String subject, String body) {
}
