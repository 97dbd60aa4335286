package dev.pedidos.billing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pedidos.events.Customer;

/**
 * The HTTP edge of billing: read-only access to the invoice ledger.
 *
 * <p>Errors are RFC 9457 problem details ({@code application/problem+json}), rendered by Spring's
 * {@code ResponseEntityExceptionHandler} that Boot registers with
 * {@code spring.mvc.problemdetails.enabled}: a malformed order ID or limit (type mismatch) and the
 * {@link ErrorResponseException}s thrown here.
 */
@RestController
@RequestMapping("/invoices")
class InvoiceController {

    /** Page size bounds of {@code GET /invoices}. */
    static final int MAX_LIMIT = 100;

    private final InvoiceLedger ledger;

    InvoiceController(InvoiceLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * {@code GET /invoices/{orderId}}.
     *
     * @param orderId the order ID (UUID); anything else is a 400 problem
     * @return 200 with the invoice
     * @throws ErrorResponseException 404 problem when the order has no invoice (not yet billed, or
     *                                unknown)
     */
    @Operation(summary = "The invoice of an order", description = "Amounts carry the currency's minor unit"
            + " (ISO 4217: BRL 2 decimals, JPY 0, KWD 3).")
    @ApiResponse(responseCode = "200", description = "The invoice.")
    @ApiResponse(responseCode = "400", description = "The order ID is not a UUID (about:blank).", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No invoice: not billed yet, or unknown (about:blank).", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{orderId}")
    InvoiceView invoice(@PathVariable UUID orderId) {
        return ledger.find(orderId).map(InvoiceView::of).orElseThrow(() -> problem(HttpStatus.NOT_FOUND,
                "Invoice not found", "Order " + orderId + " has no invoice (not billed yet, or unknown)"));
    }

    /**
     * {@code GET /invoices?limit=N&cursor=C}: the ledger's invoices, newest first.
     *
     * @param limit  page size, 1 to {@value #MAX_LIMIT}, 20 by default
     * @param cursor {@code nextCursor} of the previous page; none for the first page
     * @return 200 with {@code items} and {@code nextCursor} ({@code null} on the last page)
     * @throws ErrorResponseException 400 problem for a limit out of range or a cursor this service
     *                                did not issue
     */
    @Operation(summary = "The ledger's invoices, newest first", description = "Keyset pages: pass nextCursor as"
            + " cursor for the next (older) page.")
    @ApiResponse(responseCode = "200", description = "A page of invoices.")
    @ApiResponse(responseCode = "400", description = "limit out of 1 to 100, or a cursor this service did not issue"
            + " (about:blank).", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping
    InvoicePage invoices(
            @Parameter(description = "Page size.", schema = @Schema(minimum = "1", maximum = "" + MAX_LIMIT,
                    defaultValue = "20"))
            @RequestParam(defaultValue = "20") int limit,
            @Parameter(description = "nextCursor of the previous page; none for the first page.")
            @RequestParam(required = false) @Nullable String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw problem(HttpStatus.BAD_REQUEST, "Invalid limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        long before = Long.MAX_VALUE;
        if (cursor != null) {
            try {
                before = InvoiceCursor.decode(cursor);
            }
            catch (IllegalArgumentException e) {
                throw problem(HttpStatus.BAD_REQUEST, "Invalid cursor", "cursor is not a nextCursor of this service: " + e.getMessage());
            }
        }
        // One more than asked tells whether another page follows.
        List<InvoiceLedger.Stored> found = ledger.newestFirst(limit + 1, before);
        List<InvoiceLedger.Stored> page = found.subList(0, Math.min(limit, found.size()));
        String next = found.size() > limit ? InvoiceCursor.encode(page.getLast().id()) : null;
        return new InvoicePage(page.stream().map(InvoiceView::of).toList(), next);
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return new ErrorResponseException(status, problem, null);
    }

    /**
     * An invoice as JSON.
     *
     * @param number     {@code INV-} and 12 hex digits of the order ID
     * @param orderId    the order
     * @param customer   who is billed
     * @param lines      one per order item
     * @param total      exact sum of the line totals, in {@code currency}
     * @param currency   ISO 4217 code
     * @param issuedAt   when the order was accepted (ISO-8601)
     * @param source     the Kafka record it was issued from
     * @param recordedAt when the ledger recorded it (ISO-8601)
     */
    record InvoiceView(String number, UUID orderId, Customer customer, List<Invoice.Line> lines, BigDecimal total,
            String currency, Instant issuedAt, Source source, Instant recordedAt) {

        static InvoiceView of(InvoiceLedger.Stored stored) {
            Invoice invoice = stored.invoice();
            return new InvoiceView(invoice.number(), invoice.orderId(), invoice.customer(), invoice.lines(),
                    invoice.total(), invoice.currency(), invoice.issuedAt(),
                    new Source(stored.partition(), stored.offset()), stored.recordedAt());
        }
    }

    /**
     * @param partition partition of the source topic
     * @param offset    offset in that partition
     */
    record Source(int partition, long offset) {
    }

    /**
     * A page of {@code GET /invoices}.
     *
     * @param items      newest first
     * @param nextCursor pass as {@code cursor} for the next (older) page; {@code null} on the last page
     */
    record InvoicePage(List<InvoiceView> items, @Nullable String nextCursor) {
    }
}
