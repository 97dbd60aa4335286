package dev.pedidos.orders;

import java.math.BigDecimal;
import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import dev.pedidos.events.OrderCreated;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP edge: {@code POST /orders}.
 *
 * <p>{@code 202 Accepted} with {@code Location: /orders/{orderId}} and an {@link OrderAccepted}
 * body, only after Kafka acknowledged the {@link OrderCreated} event. Errors are RFC 9457 problem
 * details (see {@link OrderProblems}): 400 for an invalid body or {@code Idempotency-Key}, 413 for
 * a body over 64 KiB, 415 for a body that is not JSON, 503 with {@code Retry-After} when Kafka did
 * not acknowledge in time.
 */
@RestController
class OrderController {

    /**
     * Optional request header; the same key always yields the same order ID, so that a client
     * retrying after a 503 or a lost response does not create a second order.
     */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Orders orders;
    private final OrderPublisher publisher;

    OrderController(Orders orders, OrderPublisher publisher) {
        this.orders = orders;
        this.publisher = publisher;
    }

    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<OrderAccepted> placeOrder(
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
            @Pattern(regexp = "(?=.*\\S).{1,255}", message = "must be 1 to 255 characters and not blank")
            String idempotencyKey,
            @RequestBody @Valid PlaceOrderRequest request) {
        UUID orderId = Orders.orderIdFor(idempotencyKey);
        OrderCreated event = orders.accept(orderId, request);
        publisher.publish(event);
        return ResponseEntity.accepted()
                .location(URI.create("/orders/" + orderId))
                .body(new OrderAccepted(orderId, OrderAccepted.ACCEPTED, event.totalAmount(), event.currency()));
    }

    /**
     * Body of a 202.
     *
     * @param orderId     the order's ID (derived from {@code Idempotency-Key} when one was sent)
     * @param status      always {@value #ACCEPTED}: recorded in Kafka, processing happens downstream
     * @param totalAmount exact total, scale 2, in {@code currency}
     * @param currency    ISO 4217 code
     */
    record OrderAccepted(UUID orderId, String status, BigDecimal totalAmount, String currency) {

        static final String ACCEPTED = "ACCEPTED";
    }
}
