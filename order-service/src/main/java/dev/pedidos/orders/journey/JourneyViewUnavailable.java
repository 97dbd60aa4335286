package dev.pedidos.orders.journey;

import java.net.URI;

import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The journey view's PostgreSQL is unavailable (or the schema is not migrated yet because it was):
 * every endpoint that reads the view, {@code GET /orders/{orderId}}, {@code GET /orders} and
 * {@code GET /orders/stream}, answers {@code 503} with {@code Retry-After} (whole seconds) and an
 * RFC 9457 problem of type {@value JourneyController#VIEW_UNAVAILABLE}, as
 * {@code application/problem+json} even where the endpoint produces {@code text/event-stream}.
 * Orders are still accepted meanwhile, and the view catches up once the database is back.
 */
@RestControllerAdvice(assignableTypes = {JourneyController.class, JourneyStreamController.class})
@Order(Ordered.HIGHEST_PRECEDENCE) // before the service-wide advice, whose handler of any Exception answers 500
class JourneyViewUnavailable {

    private static final Logger log = LoggerFactory.getLogger(JourneyViewUnavailable.class);

    private final long retryAfterSeconds;

    JourneyViewUnavailable(JourneyProperties properties) {
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            RecoverableDataAccessException.class, FlywayException.class})
    ResponseEntity<ProblemDetail> viewUnavailable(Exception ex) {
        log.warn("Journey view unavailable, answering 503 (Retry-After {} s): {}", retryAfterSeconds, ex.toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The journey view's database is unavailable; orders are still accepted and will show here once it is back.");
        problem.setType(URI.create(JourneyController.VIEW_UNAVAILABLE));
        problem.setTitle("Journey view unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
