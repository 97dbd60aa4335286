package dev.pedidos.orders.journey;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One step of an order's journey, as the view stores and shows it.
 *
 * @param id        the view's position of the step, increasing in the order steps became visible
 *                  ({@code 0} before it was stored)
 * @param orderId   the order
 * @param stage     what happened
 * @param at        when (the event's {@code occurredAt} or {@code at})
 * @param service   the service that did it: {@code order-service}, {@code billing-consumer}, ...
 * @param group     the consumer group that did it; {@code null} for {@link Stage#ACCEPTED}
 * @param topic     topic of the record the step is about: the {@code OrderCreated} for
 *                  {@link Stage#ACCEPTED}, else the record the group processed
 * @param partition its partition
 * @param offset    its offset
 * @param traceId   W3C trace ID (32 hex digits) of that record's {@code traceparent}, or {@code null}
 * @param detail    the stage's detail (JSON object), e.g. {@code invoiceNumber}, {@code total},
 *                  {@code currency} for {@link Stage#INVOICED}; empty when there is none
 */
record JourneyStep(long id, UUID orderId, Stage stage, Instant at, String service, String group, String topic,
        int partition, long offset, String traceId, Map<String, Object> detail) {

    /** The stages of a journey, in the vocabulary of {@code OrderStatusChanged} plus {@link #ACCEPTED}. */
    enum Stage {
        /** order-service recorded the order in Kafka ({@code 202}). */
        ACCEPTED,
        /** billing recorded its invoice. */
        INVOICED,
        /** notification's e-mail was accepted by the SMTP server. */
        CONFIRMATION_SENT,
        /** a group could not process it and wrote it to its dead-letter topic. */
        DEAD_LETTERED,
        /** an operator sent the dead letter back through its group. */
        REPLAYED
    }

    /**
     * What makes a step the same step again, unique per order in the view: a redelivered record, a
     * republished status event or a duplicate {@code POST} yields the same key and adds nothing.
     * {@link Stage#ACCEPTED}, {@link Stage#INVOICED}, {@link Stage#CONFIRMATION_SENT}: stage and
     * group (once per group). {@link Stage#DEAD_LETTERED}: the dead-letter record's topic, partition
     * and offset (a record dead-lettered again after a replay is a new step). {@link Stage#REPLAYED}:
     * the dead-letter record's coordinates and the replay count.
     *
     * @return e.g. {@code INVOICED/billing}, {@code DEAD_LETTERED/pedidos-pendentes-billing-dlt/3/17}
     */
    String dedupeKey() {
        return switch (stage) {
            case ACCEPTED -> stage.name();
            case INVOICED, CONFIRMATION_SENT -> stage + "/" + group;
            case DEAD_LETTERED -> stage + "/" + detail.get("deadLetterTopic") + "/" + detail.get("deadLetterPartition")
                    + "/" + detail.get("deadLetterOffset");
            case REPLAYED -> stage + "/" + detail.get("deadLetterTopic") + "/" + detail.get("deadLetterPartition")
                    + "/" + detail.get("deadLetterOffset") + "/" + detail.get("replayCount");
        };
    }
}
