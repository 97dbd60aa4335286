package dev.pedidos.billing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import dev.pedidos.events.Customer;

@WebMvcTest(InvoiceController.class)
class InvoiceControllerTest {

    private static final UUID ORDER_ID = UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d");

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private InvoiceLedger ledger;

    private static InvoiceLedger.Stored stored(long id, UUID orderId) {
        Invoice invoice = new Invoice("INV-1A2B3C4D5E6F", orderId, new Customer("c-42", "Ana Souza", "ana@example.com"),
                List.of(new Invoice.Line("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"), new BigDecimal("79.80"))),
                new BigDecimal("79.80"), "BRL", Instant.parse("2025-11-21T12:00:00Z"));
        return new InvoiceLedger.Stored(id, invoice, 4, 42, Instant.parse("2025-11-21T12:00:01Z"));
    }

    @Test
    void invoiceOfAnOrderIsItsJson() throws Exception {
        // given
        when(ledger.find(ORDER_ID)).thenReturn(Optional.of(stored(7, ORDER_ID)));

        // when / then
        mvc.perform(get("/invoices/{orderId}", ORDER_ID))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.number").value("INV-1A2B3C4D5E6F"))
                .andExpect(jsonPath("$.orderId").value(ORDER_ID.toString()))
                .andExpect(jsonPath("$.customer.email").value("ana@example.com"))
                .andExpect(jsonPath("$.lines[0].sku").value("SKU-1"))
                .andExpect(jsonPath("$.lines[0].lineTotal").value(79.80))
                .andExpect(jsonPath("$.total").value(79.80))
                .andExpect(jsonPath("$.currency").value("BRL"))
                .andExpect(jsonPath("$.issuedAt").value("2025-11-21T12:00:00Z"))
                .andExpect(jsonPath("$.source.partition").value(4))
                .andExpect(jsonPath("$.source.offset").value(42))
                .andExpect(jsonPath("$.id").doesNotExist());
    }

    @Test
    void orderWithoutInvoiceIsANotFoundProblem() throws Exception {
        // given
        when(ledger.find(ORDER_ID)).thenReturn(Optional.empty());

        // when / then
        mvc.perform(get("/invoices/{orderId}", ORDER_ID))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.title").value("Invoice not found"))
                .andExpect(jsonPath("$.detail").value(containsString(ORDER_ID.toString())));
    }

    @Test
    void malformedOrderIdIsABadRequestProblem() throws Exception {
        mvc.perform(get("/invoices/{orderId}", "not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400));
        verifyNoInteractions(ledger);
    }

    @Test
    void firstPageAsksForOneMoreThanTheLimitToKnowWhetherAnotherFollows() throws Exception {
        // given three invoices where two are asked for
        when(ledger.newestFirst(3, Long.MAX_VALUE)).thenReturn(LongStream.of(30, 20, 10)
                .mapToObj(id -> stored(id, UUID.randomUUID())).toList());

        // when / then
        mvc.perform(get("/invoices").param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.nextCursor").value(InvoiceCursor.encode(20)));
    }

    @Test
    void cursorContinuesBelowItsPositionAndTheLastPageHasNoNextCursor() throws Exception {
        // given
        when(ledger.newestFirst(21, 20)).thenReturn(List.of(stored(10, ORDER_ID)));

        // when / then
        mvc.perform(get("/invoices").param("cursor", InvoiceCursor.encode(20)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].orderId").value(ORDER_ID.toString()))
                .andExpect(jsonPath("$.nextCursor").hasJsonPath())
                .andExpect(jsonPath("$.nextCursor").value(nullValue()));
        verify(ledger).newestFirst(21, 20);
    }

    @Test
    void limitOutOfRangeOrNotANumberIsABadRequestProblem() throws Exception {
        for (String limit : List.of("0", "101", "-1", "ten")) {
            mvc.perform(get("/invoices").param("limit", limit))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        }
        verifyNoInteractions(ledger);
    }

    @Test
    void cursorNotIssuedByTheServiceIsABadRequestProblem() throws Exception {
        mvc.perform(get("/invoices").param("cursor", "page-2"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid cursor"));
        verify(ledger, never()).newestFirst(anyInt(), anyLong());
    }
}
