package dev.pedidos.orders.journey;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.orders.OrderPublished;
import dev.pedidos.orders.journey.JourneyView.StoredOrder;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP edge of the journey: {@code GET /orders/{orderId}} and {@code GET /orders}, read from
 * the {@link JourneyView}.
 *
 * <p>Errors are RFC 9457 problem details ({@code application/problem+json}):
 * <ul>
 * <li>400 {@value #INVALID_ORDER_ID}: the ID is not a UUID in its canonical form;
 *     400 {@value #INVALID_QUERY}: an unknown {@code status}, a {@code limit} out of range or a
 *     cursor this service did not issue;</li>
 * <li>404 {@value #ORDER_NOT_FOUND}: neither the view nor this instance knows the order;</li>
 * <li>503 {@value #VIEW_UNAVAILABLE} with {@code Retry-After} (seconds): PostgreSQL is unavailable
 *     ({@link JourneyViewUnavailable}). Orders are still accepted meanwhile, and the view catches up
 *     once it is back.</li>
 * </ul>
 */
@RestController
class JourneyController {

    static final String INVALID_ORDER_ID = "https://pedidos.dev/problems/invalid-order-id";
    static final String INVALID_QUERY = "https://pedidos.dev/problems/invalid-query";
    static final String ORDER_NOT_FOUND = "https://pedidos.dev/problems/order-not-found";
    static final String VIEW_UNAVAILABLE = "https://pedidos.dev/problems/journey-view-unavailable";

    /** Page size bound of {@code GET /orders}. */
    static final int MAX_LIMIT = 100;

    /** RFC 9562 §4 string form: 8-4-4-4-12 hex digits ({@code UUID.fromString} also takes shorter groups). */
    private static final Pattern CANONICAL_UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JourneyView view;
    private final RecentlyAccepted recentlyAccepted;

    JourneyController(JourneyView view, RecentlyAccepted recentlyAccepted) {
        this.view = view;
        this.recentlyAccepted = recentlyAccepted;
    }

    /**
     * {@code GET /orders/{orderId}}: the order and its journey.
     *
     * <p>An order this instance accepted lately that the view does not have yet is answered from
     * memory, with its {@code ACCEPTED} step: never a 404 for one's own write.
     *
     * @param orderId the order ID, a UUID
     * @return 200 with the order's journey
     * @throws ErrorResponseException 400 or 404 problem
     */
    @GetMapping("/orders/{orderId}")
    OrderJourney order(@PathVariable String orderId) {
        if (!CANONICAL_UUID.matcher(orderId).matches()) {
            throw problem(HttpStatus.BAD_REQUEST, INVALID_ORDER_ID, "Invalid order ID",
                    "An order ID is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.");
        }
        UUID id = UUID.fromString(orderId);
        Optional<StoredOrder> stored = view.find(id);
        List<JourneyStep> steps = stored.isPresent() ? view.steps(id) : List.of();
        if (stored.isPresent() && stored.get().acceptedAt() != null) {
            return OrderJourney.of(stored.get(), steps);
        }
        Optional<OrderPublished> own = recentlyAccepted.find(id);
        if (own.isPresent()) {
            return OrderJourney.ofPublished(own.get(), stored.orElse(null), steps);
        }
        if (stored.isPresent()) {
            return OrderJourney.of(stored.get(), steps);
        }
        throw problem(HttpStatus.NOT_FOUND, ORDER_NOT_FOUND, "Order not found",
                "No order " + id + " is known (never accepted, or older than the topics' retention).");
    }

    /**
     * {@code GET /orders?status=S&limit=N&cursor=C}: orders newest first (by when the view first
     * recorded them).
     *
     * @param status only orders with this status ({@code ACCEPTED}, {@code INVOICED}, {@code CONFIRMED},
     *               {@code COMPLETED}, {@code DEAD_LETTERED}); all when absent
     * @param limit  page size, 1 to {@value #MAX_LIMIT}, 20 by default
     * @param cursor {@code nextCursor} of the previous page; none for the first page
     * @return 200 with {@code orders} and {@code nextCursor} ({@code null} on the last page)
     * @throws ErrorResponseException 400 problem
     */
    @GetMapping("/orders")
    OrderPage orders(@RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "20") int limit, @RequestParam(required = false) @Nullable String cursor) {
        if (status != null && !JourneyStatus.ALL.contains(status)) {
            throw problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid status",
                    "status must be one of " + JourneyStatus.ALL + ", was " + status);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid limit",
                    "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        long before = Long.MAX_VALUE;
        if (cursor != null) {
            try {
                before = OrderCursor.decode(cursor);
            }
            catch (IllegalArgumentException e) {
                throw problem(HttpStatus.BAD_REQUEST, INVALID_QUERY, "Invalid cursor",
                        "cursor is not a nextCursor of this service: " + e.getMessage());
            }
        }
        // One more than asked tells whether another page follows.
        List<StoredOrder> found = view.newestFirst(status, limit + 1, before);
        List<StoredOrder> page = found.subList(0, Math.min(limit, found.size()));
        String next = found.size() > limit ? OrderCursor.encode(page.getLast().seq()) : null;
        return new OrderPage(page.stream().map(OrderSummary::of).toList(), next);
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(type));
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }

    /**
     * {@code GET /orders/{orderId}}.
     *
     * @param orderId        the order
     * @param status         {@code ACCEPTED}, {@code INVOICED}, {@code CONFIRMED}, {@code COMPLETED}
     *                       or {@code DEAD_LETTERED} (see {@link JourneyStatus})
     * @param deadLetteredBy groups with an unresolved dead letter of it, e.g. {@code ["billing"]}
     * @param customer       {@code {id, name, email}}; like the other order fields {@code null} while
     *                       the view has a group's step but not yet the order itself
     * @param items          {@code [{sku, name, quantity, unitPrice}]}
     * @param currency       ISO 4217 code
     * @param totalAmount    exact decimal
     * @param acceptedAt     ISO-8601 instant
     * @param traceId        W3C trace ID of the order's record (32 hex digits)
     * @param journey        the steps in time order
     */
    record OrderJourney(UUID orderId, String status, List<String> deadLetteredBy, Customer customer,
            List<OrderItem> items, String currency, BigDecimal totalAmount, Instant acceptedAt, String traceId,
            List<Step> journey) {

        static OrderJourney of(StoredOrder order, List<JourneyStep> steps) {
            return new OrderJourney(order.orderId(), order.status(), order.deadLetteredBy(), order.customer(),
                    order.items(), order.currency(), order.totalAmount(), order.acceptedAt(), order.traceId(),
                    steps.stream().map(Step::of).toList());
        }

        /** This instance's own record of the order, with whatever steps of the groups the view already has. */
        static OrderJourney ofPublished(OrderPublished published, @Nullable StoredOrder stub, List<JourneyStep> steps) {
            OrderCreated event = published.event();
            List<Step> journey = new ArrayList<>();
            journey.add(Step.of(JourneyProjector.acceptedStep(event, published.topic(), published.partition(), published.offset(),
                    published.traceId())));
            steps.stream().map(Step::of).forEach(journey::add);
            return new OrderJourney(event.orderId(), stub == null ? JourneyStatus.ACCEPTED : stub.status(),
                    stub == null ? List.of() : stub.deadLetteredBy(), event.customer(), event.items(), event.currency(),
                    event.totalAmount(), event.occurredAt(), published.traceId(), journey);
        }
    }

    /**
     * One step of {@link OrderJourney#journey()}.
     *
     * @param stage     {@code ACCEPTED}, {@code INVOICED}, {@code CONFIRMATION_SENT},
     *                  {@code DEAD_LETTERED} or {@code REPLAYED}
     * @param at        ISO-8601 instant
     * @param service   {@code order-service}, {@code billing-consumer}, {@code notification-consumer}
     * @param group     the consumer group; {@code null} for {@code ACCEPTED}
     * @param topic     the record the step is about
     * @param partition its partition
     * @param offset    its offset
     * @param traceId   its trace ID
     * @param detail    {@code {invoiceNumber, total, currency}}, {@code {messageId, recipient}},
     *                  {@code {reason, deadLetterTopic, deadLetterPartition, deadLetterOffset}},
     *                  {@code {replayCount, deadLetterTopic, deadLetterPartition, deadLetterOffset}},
     *                  or {@code {}}
     */
    record Step(String stage, Instant at, String service, String group, String topic, int partition, long offset,
            String traceId, Map<String, Object> detail) {

        static Step of(JourneyStep step) {
            return new Step(step.stage().name(), step.at(), step.service(), step.group(), step.topic(), step.partition(),
                    step.offset(), step.traceId(), step.detail());
        }
    }

    /**
     * One order of {@code GET /orders}.
     *
     * @param orderId      the order ({@code GET /orders/{orderId}} has its journey)
     * @param status       see {@link OrderJourney#status()}
     * @param customerName the customer's name
     * @param totalAmount  exact decimal
     * @param currency     ISO 4217 code
     * @param acceptedAt   ISO-8601 instant
     */
    record OrderSummary(UUID orderId, String status, String customerName, BigDecimal totalAmount, String currency,
            Instant acceptedAt) {

        static OrderSummary of(StoredOrder order) {
            return new OrderSummary(order.orderId(), order.status(),
                    order.customer() == null ? null : order.customer().name(), order.totalAmount(), order.currency(),
                    order.acceptedAt());
        }
    }

    /**
     * A page of {@code GET /orders}.
     *
     * @param orders     newest first
     * @param nextCursor pass as {@code cursor} for the next (older) page; {@code null} on the last page
     */
    record OrderPage(List<OrderSummary> orders, @Nullable String nextCursor) {
    }
}
