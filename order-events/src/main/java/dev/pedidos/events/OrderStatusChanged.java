package dev.pedidos.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Version 1 of the event published to {@code pedidos-status} when a consumer group has done
 * something with an order: one step of the order's journey.
 *
 * <p>Record key: {@link #orderId()} as text, so that the steps of an order share a partition with
 * each other. Value: this record as JSON. Record headers: {@value #EVENT_TYPE_HEADER}={@value
 * #EVENT_TYPE}, {@value #SCHEMA_VERSION_HEADER}={@value #SCHEMA_VERSION}, and the W3C
 * {@code traceparent} of the source record, so that the step belongs to the order's trace. Same
 * rules as {@link OrderCreated}: readers bind to this type and ignore unknown fields.
 *
 * <p>Exactly one of the detail components is set, the one of {@link #stage()}; the others are
 * {@code null}.
 *
 * @param eventId         unique per publication; a redelivered record publishes its step again with
 *                        a new event ID, and readers dedupe by (order ID, stage, group)
 * @param orderId         the order, also the record key
 * @param stage           what happened
 * @param group           the consumer group that did it ({@code billing}, {@code notification})
 * @param at              when it happened (ISO-8601 instant in JSON)
 * @param sourceTopic     topic of the record the group processed ({@code pedidos-pendentes}, or the
 *                        group's replay topic)
 * @param sourcePartition partition of that record
 * @param sourceOffset    offset of that record
 * @param invoice         {@link Stage#INVOICED}: the invoice issued
 * @param email           {@link Stage#CONFIRMATION_SENT}: the e-mail the SMTP server accepted
 * @param deadLetter      {@link Stage#DEAD_LETTERED}: why, and where the record now is
 * @param replay          {@link Stage#REPLAYED}: the dead letter sent back through the group
 */
public record OrderStatusChanged(
        UUID eventId,
        UUID orderId,
        Stage stage,
        String group,
        Instant at,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        Invoice invoice,
        Email email,
        DeadLetter deadLetter,
        Replay replay) {

    /** Name of the record header that carries {@link #EVENT_TYPE}. */
    public static final String EVENT_TYPE_HEADER = OrderCreated.EVENT_TYPE_HEADER;

    /** Value of the {@value #EVENT_TYPE_HEADER} header for this event. */
    public static final String EVENT_TYPE = "OrderStatusChanged";

    /** Name of the record header that carries {@link #SCHEMA_VERSION}. */
    public static final String SCHEMA_VERSION_HEADER = OrderCreated.SCHEMA_VERSION_HEADER;

    /** Value of the {@value #SCHEMA_VERSION_HEADER} header for this record shape. */
    public static final String SCHEMA_VERSION = "1";

    /** A step of an order's journey, as published by the consumer groups. */
    public enum Stage {
        /** billing recorded the order's invoice (or found it already recorded). */
        INVOICED,
        /** notification's e-mail was accepted by the SMTP server (or was already sent). */
        CONFIRMATION_SENT,
        /** a group could not process the order's record and wrote it to its dead-letter topic. */
        DEAD_LETTERED,
        /** an operator sent a dead-lettered record back through its group. */
        REPLAYED
    }

    /**
     * @param number   the invoice number, {@code INV-} and 12 hex digits
     * @param total    the invoiced total, in {@code currency}, with the currency's minor-unit digits
     * @param currency ISO 4217 code
     */
    public record Invoice(String number, BigDecimal total, String currency) {
    }

    /**
     * @param messageId the e-mail's {@code Message-ID}, angle brackets included (RFC 5322 §3.6.4)
     * @param recipient the address it was sent to
     */
    public record Email(String messageId, String recipient) {
    }

    /**
     * @param reason    the exception's class and message, on one line
     * @param topic     the group's dead-letter topic
     * @param partition the dead-letter record's partition
     * @param offset    the dead-letter record's offset
     */
    public record DeadLetter(String reason, String topic, int partition, long offset) {
    }

    /**
     * @param deadLetterTopic     the dead-letter topic the record was replayed from
     * @param deadLetterPartition its partition there
     * @param deadLetterOffset    its offset there
     * @param replayCount         how many times this record has been replayed, 1 for the first replay
     */
    public record Replay(String deadLetterTopic, int deadLetterPartition, long deadLetterOffset, int replayCount) {
    }
}
