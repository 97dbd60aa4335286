package dev.pedidos.orders;

import java.util.UUID;

import dev.pedidos.events.OrderCreated;

/**
 * Records an accepted order durably. The HTTP edge answers 202 only after {@link #publish}
 * returned.
 */
interface OrderPublisher {

    /**
     * Writes the event and waits for the acknowledgement.
     *
     * @param event the order to record, keyed by its order ID
     * @return where the event was written
     * @throws OrderNotAcknowledgedException if the write was not acknowledged within the bounded
     *                                       time; the outcome is then unknown (nothing written,
     *                                       or written without us hearing back)
     * @throws org.springframework.resilience.InvocationRejectedException if too many publishes are
     *                                       waiting already; nothing was sent
     */
    Published publish(OrderCreated event);

    /**
     * The position of a written event.
     *
     * @param partition partition of the topic
     * @param offset    offset within that partition
     */
    record Published(int partition, long offset) {
    }

    /** The broker did not acknowledge an order in time; answered with 503 and {@code Retry-After}. */
    final class OrderNotAcknowledgedException extends RuntimeException {

        private final UUID orderId;

        OrderNotAcknowledgedException(UUID orderId, Throwable cause) {
            super("Order " + orderId + " was not acknowledged by Kafka: " + cause, cause);
            this.orderId = orderId;
        }

        /** The order that may or may not have been written. */
        UUID orderId() {
            return orderId;
        }
    }
}
