package dev.pedidos.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Version 1 of the event published to {@code pedidos-pendentes} when an order is accepted.
 *
 * <p>Record key: {@link #orderId()} as text. Value: this record as JSON. Record headers:
 * {@value #EVENT_TYPE_HEADER}={@value #EVENT_TYPE}, {@value #SCHEMA_VERSION_HEADER}={@value
 * #SCHEMA_VERSION}, and the W3C {@code traceparent}. Readers bind to this type (never to a class
 * name taken from a header) and ignore unknown fields, so adding a field is compatible; removing
 * or renaming one is a new schema version.
 *
 * @param eventId     unique per publication; a retried POST publishes a new event for the same order
 * @param orderId     the order, also the record key, so that all events of an order share a partition
 * @param occurredAt  when the order was accepted (ISO-8601 instant in JSON)
 * @param customer    who placed the order
 * @param items       one or more order lines
 * @param currency    ISO 4217 code of every amount in the event, {@code BRL} by default
 * @param totalAmount exact sum of {@code quantity × unitPrice} over {@link #items()}, in {@link #currency()}
 */
public record OrderCreated(
        UUID eventId,
        UUID orderId,
        Instant occurredAt,
        Customer customer,
        List<OrderItem> items,
        String currency,
        BigDecimal totalAmount) {

    /** Name of the record header that carries {@link #EVENT_TYPE}. */
    public static final String EVENT_TYPE_HEADER = "eventType";

    /** Value of the {@value #EVENT_TYPE_HEADER} header for this event. */
    public static final String EVENT_TYPE = "OrderCreated";

    /** Name of the record header that carries {@link #SCHEMA_VERSION}. */
    public static final String SCHEMA_VERSION_HEADER = "schemaVersion";

    /** Value of the {@value #SCHEMA_VERSION_HEADER} header for this record shape. */
    public static final String SCHEMA_VERSION = "1";

    public OrderCreated {
        items = List.copyOf(items);
    }
}
