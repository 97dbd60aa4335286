package dev.pedidos.orders.journey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The data of one {@code step} event of {@code GET /orders/stream}: one row of the journey view's
 * steps table, with the order's status and summary as they are when the step is sent.
 *
 * <pre>
 * {"id": 42, "orderId": "…", "status": "COMPLETED", "customerName": "Ana Souza", "totalAmount": 57.30,
 *  "currency": "BRL", "stage": "CONFIRMATION_SENT", "at": "2026-11-27T15:00:00.123Z",
 *  "service": "notification-consumer", "group": "notification", "topic": "pedidos-pendentes",
 *  "partition": 4, "offset": 17, "traceId": "…", "detail": {"messageId": "…", "recipient": "…"}}
 * </pre>
 *
 * @param id           the step's ID in the view, also the event's SSE {@code id}: increasing
 * @param orderId      the order
 * @param status       the order's status now ({@code ACCEPTED}, {@code INVOICED}, {@code CONFIRMED},
 *                     {@code COMPLETED}, {@code DEAD_LETTERED})
 * @param customerName null until the order's {@code OrderCreated} reached the view
 * @param totalAmount  null until then, in {@code currency}
 * @param currency     ISO 4217, null until then
 * @param stage        {@code ACCEPTED}, {@code INVOICED}, {@code CONFIRMATION_SENT},
 *                     {@code DEAD_LETTERED} or {@code REPLAYED}
 * @param at           when the step happened
 * @param service      the service that took it
 * @param group        its consumer group, null for {@code ACCEPTED}
 * @param topic        the record the step is about: topic,
 * @param partition    partition
 * @param offset       and offset
 * @param traceId      W3C trace ID, when known
 * @param detail       the stage's detail (invoice number, e-mail Message-ID, dead-letter reason...)
 */
record StepEvent(long id, UUID orderId, String status, String customerName, BigDecimal totalAmount,
        String currency, String stage, Instant at, String service, String group, String topic, int partition,
        long offset, String traceId, JsonNode detail) {
}
