package dev.pedidos.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the sent log: an order confirmation that the SMTP server accepted.
 *
 * @param orderId         the order confirmed, the key of the log
 * @param messageId       the e-mail's {@code Message-ID}, with angle brackets
 * @param recipient       the address it was sent to
 * @param subject         its subject
 * @param sentAt          when the server accepted it (microsecond precision once stored)
 * @param sourcePartition partition of the source topic the order was read from
 * @param sourceOffset    offset of that record
 */
record SentNotification(UUID orderId, String messageId, String recipient, String subject, Instant sentAt,
        int sourcePartition, long sourceOffset) {
}
