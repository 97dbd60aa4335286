package dev.pedidos.orders;

import java.io.IOException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts the outcome of every {@code POST /orders} as {@code pedidos.orders} (Prometheus
 * {@code pedidos_orders_total}), from the status the client got, so that the controller and its
 * advice need no hook but for the outcomes a status cannot tell apart (below): tag
 * {@code outcome} = {@code accepted} (202), {@code rejected} (4xx) or
 * {@code not_acknowledged} (503: the brokers did not acknowledge in time), {@code overloaded} (503:
 * {@code pedidos.max-in-flight} orders were waiting already, nothing published; set by
 * {@link OrderProblems} as request attribute {@value #OUTCOME}), {@code key_store_unavailable} (503:
 * the Idempotency-Key store did not answer, nothing published; set the same way), and tag {@code reason}
 * for a rejection: {@code invalid} (400), {@code too_large} (413), {@code unsupported_media_type}
 * (415), {@code idempotency_key_reused} (422), else the status code; {@code none} otherwise.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE) // outside RequestBodyLimitFilter, so that its 413 is counted too
class OrderOutcomeMetrics extends OncePerRequestFilter {

    /** Request attribute naming the outcome where the status alone does not tell it. */
    static final String OUTCOME = OrderOutcomeMetrics.class.getName() + ".outcome";

    /** Outcome of a 503 for too many orders in flight. */
    static final String OVERLOADED = "overloaded";

    /** Outcome of a 503 for a keyed POST whose Idempotency-Key store (PostgreSQL) did not answer. */
    static final String KEY_STORE_UNAVAILABLE = "key_store_unavailable";

    private final ObjectProvider<MeterRegistry> meters;

    /** @param meters the registry; none in a {@code @WebMvcTest} slice, which then counts nothing */
    OrderOutcomeMetrics(ObjectProvider<MeterRegistry> meters) {
        this.meters = meters;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !(HttpMethod.POST.matches(request.getMethod()) && "/orders".equals(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        }
        finally {
            int status = response.getStatus();
            String outcome = request.getAttribute(OUTCOME) instanceof String named ? named
                    : status == 202 ? "accepted" : status == 503 ? "not_acknowledged"
                    : status >= 400 && status < 500 ? "rejected" : "other";
            String reason = switch (status) {
                case 400 -> "invalid";
                case 413 -> "too_large";
                case 415 -> "unsupported_media_type";
                case 422 -> "idempotency_key_reused";
                default -> outcome.equals("rejected") ? Integer.toString(status) : "none";
            };
            meters.ifAvailable(registry -> registry.counter("pedidos.orders", "outcome", outcome, "reason", reason).increment());
        }
    }
}
