package dev.pedidos.orders;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import dev.pedidos.orders.OrderPublisher.OrderNotAcknowledgedException;
import dev.pedidos.orders.idempotency.IdempotencyKeys.KeyInFlightException;
import dev.pedidos.orders.idempotency.IdempotencyKeys.KeyReusedException;
import dev.pedidos.orders.idempotency.IdempotencyKeys.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.resilience.InvocationRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of order-service as an RFC 9457 problem ({@code application/problem+json}) with a
 * stable {@code type} URI and title. Spring's defaults (404, 405, ...) keep {@code about:blank}.
 *
 * <ul>
 * <li>400 {@value #INVALID_ORDER}: invalid body fields or {@code Idempotency-Key}, each named
 * in {@code errors: [{field, message}]} ({@code field} is a JSON path such as
 * {@code items[0].quantity}, or the header name)
 * <li>400 {@value #MALFORMED_JSON}: the body is not JSON, a value has the wrong JSON type (a
 * string for a number, a fraction for an integer, a scalar for an array), a field is unknown or
 * appears twice in one object; named in {@code errors} with line and column when Jackson knows them
 * <li>413 {@value #PAYLOAD_TOO_LARGE}: body over 512 KiB, Jackson's
 * {@code spring.jackson.factory.constraints.read.max-document-length}
 * <li>415 {@value #UNSUPPORTED_MEDIA_TYPE}: {@code Content-Type} is not {@code application/json}
 * <li>503 {@value #NOT_ACKNOWLEDGED} with {@code Retry-After} (seconds): Kafka did not
 * acknowledge in time; retry with the same {@code Idempotency-Key}
 * <li>503 {@value #OVERLOADED} with {@code Retry-After}: {@code pedidos.max-in-flight} orders
 * were already waiting for Kafka; nothing was published
 * <li>409 {@value #KEY_IN_FLIGHT}: another request with the {@code Idempotency-Key} is still
 * being answered; retry after it (draft-ietf-httpapi-idempotency-key-header-06, "Error Scenarios")
 * <li>422 {@value #KEY_REUSED}: the {@code Idempotency-Key} was used within 24 h with a different
 * order (the same draft)
 * <li>503 {@value #KEY_STORE_UNAVAILABLE} with {@code Retry-After}: a keyed POST, and the
 * Idempotency-Key store (PostgreSQL) is unavailable; nothing was published
 * <li>500 {@value #INTERNAL_ERROR}: a bug; logged, details withheld
 * </ul>
 */
@RestControllerAdvice
class OrderProblems extends ResponseEntityExceptionHandler {

    static final String INVALID_ORDER = "https://pedidos.dev/problems/invalid-order";
    static final String MALFORMED_JSON = "https://pedidos.dev/problems/malformed-json";
    static final String PAYLOAD_TOO_LARGE = "https://pedidos.dev/problems/payload-too-large";
    static final String UNSUPPORTED_MEDIA_TYPE = "https://pedidos.dev/problems/unsupported-media-type";
    static final String NOT_ACKNOWLEDGED = "https://pedidos.dev/problems/order-not-acknowledged";
    static final String INTERNAL_ERROR = "https://pedidos.dev/problems/internal-error";
    static final String KEY_IN_FLIGHT = "https://pedidos.dev/problems/idempotency-key-in-flight";
    static final String KEY_REUSED = "https://pedidos.dev/problems/idempotency-key-reused";
    static final String KEY_STORE_UNAVAILABLE = "https://pedidos.dev/problems/idempotency-key-store-unavailable";
    static final String OVERLOADED = "https://pedidos.dev/problems/overloaded";

    private static final Logger log = LoggerFactory.getLogger(OrderProblems.class);

    /** Jackson's message for StreamReadFeature.STRICT_DUPLICATE_DETECTION, which names the property. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*)\"");

    private final long retryAfterSeconds;
    private final long maxBodyBytes;

    OrderProblems(OrderServiceProperties properties, JsonMapper json) {
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
        // spring.jackson.factory.constraints.read.max-document-length, as Jackson applies it.
        this.maxBodyBytes = json.tokenStreamFactory().streamReadConstraints().getMaxDocumentLength();
    }

    /**
     * One invalid input.
     *
     * @param field   JSON path in the body ({@code customer.email}, {@code items[2].unitPrice}) or
     *                the name of the header
     * @param message what is wrong with it
     */
    record InvalidField(String field, String message) {
    }

    /** {@code @Valid} body errors, when method validation does not apply. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidField> errors = new ArrayList<>();
        ex.getBindingResult().getAllErrors().forEach(error -> errors.add(invalidField(error)));
        return invalid(ex, errors, headers, request);
    }

    /** Body and header errors together: the header's constraint turns on method validation. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidField> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors bodyErrors) {
                bodyErrors.getAllErrors().forEach(error -> errors.add(invalidField(error)));
            }
            else {
                String name = parameterName(result.getMethodParameter());
                for (MessageSourceResolvable error : result.getResolvableErrors()) {
                    errors.add(new InvalidField(name, error.getDefaultMessage()));
                }
            }
        }
        return invalid(ex, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        StreamConstraintsException constraint = causeOf(ex, StreamConstraintsException.class);
        // Only the document length is a size: nesting depth, number and name lengths are malformed JSON (400).
        if (constraint != null && String.valueOf(constraint.getMessage()).startsWith("Document length")) {
            // Jackson's StreamReadConstraints (spring.jackson.factory.constraints.read.*): the body is too long.
            ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, PAYLOAD_TOO_LARGE, "Payload too large",
                    "The request body exceeds " + maxBodyBytes + " bytes.");
            return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, MALFORMED_JSON, "Malformed request body",
                "The request body is missing or is not valid JSON.");
        JacksonException json = causeOf(ex, JacksonException.class);
        if (json != null) {
            String where = position(json.getLocation());
            String original = json.getOriginalMessage();
            Matcher duplicate = original == null ? null : DUPLICATE.matcher(original);
            if (duplicate != null && duplicate.matches()) {
                // StreamReadFeature.STRICT_DUPLICATE_DETECTION: the parser names the property, databind (when it
                // was inside a value it binds) or the parser's context says where the object is.
                String object = !json.getPath().isEmpty() ? jsonPath(json.getPath())
                        : json instanceof StreamReadException read && read.processor() instanceof JsonParser parser
                                ? parserPath(parser.streamReadContext(), true) : "";
                String path = join(object, duplicate.group(1));
                String message = "appears more than once in its JSON object";
                problem.setDetail("The field " + path + " " + message + where + ".");
                problem.setProperty("errors", List.of(new InvalidField(path, message)));
            }
            else if (!json.getPath().isEmpty()) {
                // Databind: the JSON is well formed, a value does not fit the contract.
                String path = jsonPath(json.getPath());
                String message = json instanceof UnrecognizedPropertyException
                        ? "is not a field of the order" : "must be " + jsonTypeOf(json);
                problem.setDetail("The value of " + path + " " + message + where + ".");
                problem.setProperty("errors", List.of(new InvalidField(path, message)));
            }
            else {
                problem.setDetail("The request body is not valid JSON" + where + ".");
            }
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** What a value that failed to bind must be instead, from the type Jackson tried to bind it to. */
    private static String jsonTypeOf(JacksonException json) {
        Class<?> target = json instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            return "of the right JSON type and format";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "a JSON integer (no fraction, not a string)";
        }
        if (Number.class.isAssignableFrom(target)) {
            return "a JSON number (not a string)";
        }
        if (target == String.class) {
            return "a JSON string";
        }
        if (Iterable.class.isAssignableFrom(target) || target.isArray()) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    /**
     * {@code items[0].sku} from the parser's position: the object properties and array elements it was in.
     *
     * @param skipInnermostName leave out the property name of the innermost object (for a duplicate the
     *                          parser has not yet moved its name on, so the message names it instead)
     */
    private static String parserPath(TokenStreamContext context, boolean skipInnermostName) {
        List<String> segments = new ArrayList<>();
        for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                segments.addFirst("[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
            else if (at.currentName() != null && !(skipInnermostName && at == context)) {
                segments.addFirst(at.currentName());
            }
        }
        String path = "";
        for (String segment : segments) {
            path = segment.startsWith("[") ? path + segment : join(path, segment);
        }
        return path;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ex.getBody().setType(URI.create(UNSUPPORTED_MEDIA_TYPE));
        ex.getBody().setTitle("Unsupported media type");
        return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notAcknowledged(OrderNotAcknowledgedException ex) {
        log.warn("Order {} not acknowledged by Kafka, answering 503 (Retry-After {} s): {}",
                ex.orderId(), retryAfterSeconds, NestedExceptionUtils.getMostSpecificCause(ex).toString());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, NOT_ACKNOWLEDGED, "Order not acknowledged",
                "Kafka did not confirm the order in time, so it may or may not have been recorded. "
                        + "Retry with the same Idempotency-Key.");
        problem.setProperty("orderId", ex.orderId());
        return unavailable(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> overloaded(InvocationRejectedException ex, HttpServletRequest request) {
        // DEBUG, not WARN: under overload this is thousands of lines a second, each adding to the load; the metric
        // pedidos_orders_total{outcome="overloaded"} counts them.
        log.debug("Too many orders waiting for Kafka, answering 503 (Retry-After {} s)", retryAfterSeconds);
        request.setAttribute(OrderOutcomeMetrics.OUTCOME, OrderOutcomeMetrics.OVERLOADED);
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, OVERLOADED, "Too many orders in flight",
                "The service is waiting for Kafka to confirm as many orders as it takes at once; this one was not"
                        + " published. Retry after Retry-After seconds.");
        return unavailable(problem);
    }

    /** A 503 with {@code Retry-After} (whole seconds): the client retries then. */
    private ResponseEntity<ProblemDetail> unavailable(ProblemDetail problem) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> keyInFlight(KeyInFlightException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, KEY_IN_FLIGHT, "Idempotency-Key in use",
                "A request with this Idempotency-Key is still being answered; retry once it is.");
        problem.setProperty("errors", List.of(new InvalidField(OrderController.IDEMPOTENCY_KEY,
                "is in use by a request still being answered")));
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> keyReused(KeyReusedException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, KEY_REUSED, "Idempotency-Key reused",
                "This Idempotency-Key was used within 24 hours with a different order; this one was not accepted."
                        + " Use a new key for a new order.");
        problem.setProperty("errors", List.of(new InvalidField(OrderController.IDEMPOTENCY_KEY,
                "was used with a different order")));
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> keyStoreUnavailable(StoreUnavailableException ex, HttpServletRequest request) {
        request.setAttribute(OrderOutcomeMetrics.OUTCOME, OrderOutcomeMetrics.KEY_STORE_UNAVAILABLE);
        log.warn("Idempotency-Key store unavailable, answering 503 (Retry-After {} s): {}", retryAfterSeconds,
                NestedExceptionUtils.getMostSpecificCause(ex).toString());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, KEY_STORE_UNAVAILABLE,
                "Idempotency-Key store unavailable", "The order was not published: its Idempotency-Key could not"
                        + " be checked. Retry with the same key, or send the order without one.");
        return unavailable(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unexpected failure, answering 500", ex);
        return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR,
                "Internal error", "The order could not be processed; it was not recorded."));
    }

    private ResponseEntity<Object> invalid(Exception ex, List<InvalidField> errors, HttpHeaders headers,
            WebRequest request) {
        errors.sort(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_ORDER, "Invalid order",
                errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(type));
        problem.setTitle(title);
        return problem;
    }

    private static InvalidField invalidField(ObjectError error) {
        String field = error instanceof FieldError fieldError ? fieldError.getField() : error.getObjectName();
        return new InvalidField(field, error.getDefaultMessage());
    }

    private static String parameterName(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        String name = parameter.getParameterName();
        return name != null ? name : "argument " + parameter.getParameterIndex();
    }

    /** {@code items[0].quantity} from Jackson's path of property names and array indexes. */
    private static String jsonPath(List<JacksonException.Reference> path) {
        StringBuilder jsonPath = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!jsonPath.isEmpty()) {
                    jsonPath.append('.');
                }
                jsonPath.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                jsonPath.append('[').append(reference.getIndex()).append(']');
            }
        }
        return jsonPath.toString();
    }

    private static String position(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
