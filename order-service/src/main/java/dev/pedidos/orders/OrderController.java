package dev.pedidos.orders;

import java.math.BigDecimal;
import java.net.URI;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.orders.idempotency.IdempotencyKeys;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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
 * details (see {@link OrderProblems}): 400 for an invalid body or {@code Idempotency-Key}, 409 and
 * 422 for a key in flight or reused with another body, 413 for a body over 512 KiB, 415 for a body
 * that is not JSON, 503 with {@code Retry-After} when Kafka did not acknowledge in time, the key
 * store is unavailable or {@code pedidos.max-in-flight} orders are waiting for Kafka already.
 *
 * <p>A request without {@code Idempotency-Key} never touches the database; one with a key claims it
 * in the {@link IdempotencyKeys} store first (draft-ietf-httpapi-idempotency-key-header-06).
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
    private final IdempotencyKeys keys;

    OrderController(Orders orders, OrderPublisher publisher, IdempotencyKeys keys) {
        this.orders = orders;
        this.publisher = publisher;
        this.keys = keys;
    }

    @Operation(summary = "Place an order",
            description = "Answers 202 only once the order is on two in-sync Kafka replicas; every 202'd order is"
                    + " invoiced and e-mailed. A 4xx means nothing was published. Limits: 1 to 100 lines; texts in"
                    + " Unicode code points (customer ID and SKU 64, names 200, e-mail 320 ASCII characters), no"
                    + " control characters; quantity 1 to 1000; unit price from 0 to below 10^12 with at most the"
                    + " currency's minor-unit decimals; body at most 512 KiB.")
    @ApiResponse(responseCode = "202", description = "Accepted: recorded in Kafka; processing happens downstream.",
            headers = @Header(name = "Location", description = "/orders/{orderId}"))
    @ApiResponse(responseCode = "400", description = "Invalid order (" + OrderProblems.INVALID_ORDER + ") or"
            + " malformed body (" + OrderProblems.MALFORMED_JSON + "): a wrong JSON type, a coerced value, a duplicate"
            + " or unknown field. Each invalid field is named in errors[].field. Nothing was published.",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Another request with this Idempotency-Key is still being"
            + " answered (" + OrderProblems.KEY_IN_FLIGHT + "): retry after it.",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Body over 512 KiB (" + OrderProblems.PAYLOAD_TOO_LARGE + ").",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "406", description = "The Accept header allows no JSON answer. Nothing was published.")
    @ApiResponse(responseCode = "415", description = "Content-Type is not application/json ("
            + OrderProblems.UNSUPPORTED_MEDIA_TYPE + ").",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "This Idempotency-Key was used within 24 h with a different"
            + " order (" + OrderProblems.KEY_REUSED + "). Nothing was published.",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time ("
            + OrderProblems.NOT_ACKNOWLEDGED + "; the outcome is unknown: retry with the same Idempotency-Key), or,"
            + " for a keyed POST only, the Idempotency-Key store is unavailable (" + OrderProblems.KEY_STORE_UNAVAILABLE
            + "), or too many orders are waiting for Kafka already (" + OrderProblems.OVERLOADED + "; nothing was"
            + " published). Retry-After says when.",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    // produces: a client that accepts no JSON is refused (406) before anything is published, not after.
    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<OrderAccepted> placeOrder(
            @Parameter(description = "Optional, 1 to 255 characters, not blank. The same key names the same order:"
                    + " with the same body it is accepted again (202, same order ID, published again); with another"
                    + " body within 24 h it is a 422; while a request with it is in flight, a 409. Keys are"
                    + " forgotten 24 h after their first use.")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
            @Pattern(regexp = "(?=.*\\S).{1,255}", message = "must be 1 to 255 characters and not blank")
            String idempotencyKey,
            @RequestBody @Valid PlaceOrderRequest request) {
        UUID orderId = Orders.orderIdFor(idempotencyKey);
        OrderCreated event = orders.accept(orderId, request);
        if (idempotencyKey == null) {
            publisher.publish(event);
        }
        else {
            try (var claim = keys.claim(idempotencyKey, Orders.fingerprint(request), orderId)) {
                publisher.publish(event);
            }
        }
        return ResponseEntity.accepted()
                .location(URI.create("/orders/" + orderId))
                .body(new OrderAccepted(orderId, OrderAccepted.ACCEPTED, event.totalAmount(), event.currency()));
    }

    /**
     * Body of a 202.
     *
     * @param orderId     the order's ID (derived from {@code Idempotency-Key} when one was sent)
     * @param status      always {@value #ACCEPTED}: recorded in Kafka, processing happens downstream
     * @param totalAmount exact total, with the currency's minor unit as its scale (BRL {@code 2.00}, JPY {@code 2})
     * @param currency    ISO 4217 code
     */
    record OrderAccepted(UUID orderId, String status, BigDecimal totalAmount, String currency) {

        static final String ACCEPTED = "ACCEPTED";
    }
}
