package dev.pedidos.notification;

import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP edge of notification: what the sent log says about an order.
 *
 * <p>Errors are RFC 9457 problem details ({@code application/problem+json}, with
 * {@code spring.mvc.problemdetails.enabled}): 404 when no confirmation of the order was sent, 400
 * for an order ID that is not a UUID (Spring MVC's type-mismatch problem), 503 with
 * {@code Retry-After} while the database is unavailable.
 */
@RestController
class NotificationController {

    /** Seconds a client should wait before asking again while the database is unavailable. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final SentLog sentLog;

    NotificationController(SentLog sentLog) {
        this.sentLog = sentLog;
    }

    /**
     * {@code GET /notifications/{orderId}}.
     *
     * @param orderId the order ID (UUID)
     * @return 200 with the confirmation sent for the order
     * @throws ErrorResponseException 404 problem when none was sent (yet)
     */
    @Operation(summary = "The confirmation e-mailed for an order")
    @ApiResponse(responseCode = "200", description = "The confirmation the SMTP server accepted.")
    @ApiResponse(responseCode = "400", description = "The order ID is not a UUID (about:blank).", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No confirmation sent (yet) (about:blank).", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "The sent log's database is unavailable; Retry-After says when"
            + " (about:blank).", headers = @Header(name = "Retry-After", description = "seconds"), content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/notifications/{orderId}")
    NotificationView notification(@PathVariable UUID orderId) {
        return sentLog.find(orderId).map(NotificationView::of).orElseThrow(() -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No confirmation of order " + orderId + " has been sent");
            problem.setTitle("Notification not found");
            return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        });
    }

    /** 503 problem while the sent log cannot be read: the database is down or unreachable. */
    @ExceptionHandler(DataAccessResourceFailureException.class)
    ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessResourceFailureException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The sent log is unavailable, try again later");
        problem.setTitle("Sent log unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem);
    }

    /**
     * The JSON body of {@code GET /notifications/{orderId}}.
     *
     * @param orderId   the order
     * @param recipient the address the confirmation was sent to
     * @param subject   its subject
     * @param messageId its {@code Message-ID}, with angle brackets
     * @param sentAt    when the SMTP server accepted it (ISO-8601, UTC)
     */
    record NotificationView(UUID orderId, String recipient, String subject, String messageId, Instant sentAt) {

        static NotificationView of(SentNotification sent) {
            return new NotificationView(sent.orderId(), sent.recipient(), sent.subject(), sent.messageId(),
                    sent.sentAt());
        }
    }
}
