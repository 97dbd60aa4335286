package dev.pedidos.orders.journey;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.orders.OrderPublished;
import dev.pedidos.orders.journey.JourneyStep.Stage;
import dev.pedidos.orders.journey.JourneyView.StoredOrder;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of {@code GET /orders/{orderId}} and {@code GET /orders}, with the view mocked. */
@WebMvcTest(controllers = JourneyController.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "dev\\.pedidos\\.orders\\.OrderProblems")) // the write path's advice, tested in its own package
@EnableConfigurationProperties(JourneyProperties.class)
class JourneyControllerTest {

    private static final UUID ORDER = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private JourneyView view;

    @MockitoBean
    private RecentlyAccepted recentlyAccepted;

    @Test
    void journeyOfAnOrderInTheView() throws Exception {
        given(view.find(ORDER)).willReturn(Optional.of(stored("INVOICED")));
        given(view.steps(ORDER)).willReturn(List.of(
                new JourneyStep(1, ORDER, Stage.ACCEPTED, AT, "order-service", null, "pedidos-pendentes", 2, 40, TRACE, Map.of()),
                new JourneyStep(7, ORDER, Stage.INVOICED, AT.plusMillis(30), "billing-consumer", "billing",
                        "pedidos-pendentes", 2, 40, TRACE, Map.of("invoiceNumber", "INV-0F8FAD5BD9CB",
                                "total", new BigDecimal("59.97"), "currency", "BRL"))));

        mvc.perform(get("/orders/" + ORDER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.orderId").value(ORDER.toString()))
                .andExpect(jsonPath("$.status").value("INVOICED"))
                .andExpect(jsonPath("$.deadLetteredBy").isEmpty())
                .andExpect(jsonPath("$.customer.name").value("Ana"))
                .andExpect(jsonPath("$.items[0].unitPrice").value(19.99))
                .andExpect(jsonPath("$.totalAmount").value(59.97))
                .andExpect(jsonPath("$.acceptedAt").value("2026-11-27T10:00:00Z"))
                .andExpect(jsonPath("$.traceId").value(TRACE))
                .andExpect(jsonPath("$.journey[0].stage").value("ACCEPTED"))
                .andExpect(jsonPath("$.journey[0].group").isEmpty())
                .andExpect(jsonPath("$.journey[1].service").value("billing-consumer"))
                .andExpect(jsonPath("$.journey[1].partition").value(2))
                .andExpect(jsonPath("$.journey[1].offset").value(40))
                .andExpect(jsonPath("$.journey[1].detail.invoiceNumber").value("INV-0F8FAD5BD9CB"));
    }

    @Test
    void ownOrderNotYetInTheViewIsAnsweredFromMemory() throws Exception {
        given(view.find(ORDER)).willReturn(Optional.empty());
        OrderCreated event = new OrderCreated(UUID.randomUUID(), ORDER, AT, new Customer(null, "Ana", "ana@example.com"),
                List.of(new OrderItem("SKU-1", "Caneca", 3, new BigDecimal("19.99"))), "BRL", new BigDecimal("59.97"));
        given(recentlyAccepted.find(ORDER)).willReturn(Optional.of(new OrderPublished(event, "pedidos-pendentes", 4, 9, TRACE)));

        mvc.perform(get("/orders/" + ORDER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ACCEPTED"))
                .andExpect(jsonPath("$.journey.length()").value(1))
                .andExpect(jsonPath("$.journey[0].stage").value("ACCEPTED"))
                .andExpect(jsonPath("$.journey[0].partition").value(4))
                .andExpect(jsonPath("$.journey[0].offset").value(9))
                .andExpect(jsonPath("$.journey[0].traceId").value(TRACE));
    }

    @Test
    void unknownOrderIs404Problem() throws Exception {
        given(view.find(ORDER)).willReturn(Optional.empty());
        given(recentlyAccepted.find(ORDER)).willReturn(Optional.empty());

        mvc.perform(get("/orders/" + ORDER))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(JourneyController.ORDER_NOT_FOUND))
                .andExpect(jsonPath("$.status").value(404));
    }

    @Test
    void malformedOrderIdIs400ProblemAndReadsNothing() throws Exception {
        for (String id : List.of("42", "0f8fad5b-d9cb-469f-a165", "1-1-1-1-1", "0f8fad5b-d9cb-469f-a165-70867728950e-x")) {
            mvc.perform(get("/orders/" + id))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(JourneyController.INVALID_ORDER_ID));
        }
        verifyNoInteractions(view);
    }

    @Test
    void databaseUnavailableIs503ProblemWithRetryAfter() throws Exception {
        given(view.find(ORDER)).willThrow(new CannotGetJdbcConnectionException("Connection is not available"));
        given(view.newestFirst(null, 21, Long.MAX_VALUE)).willThrow(new FlywayException("Unable to obtain connection"));

        for (String path : List.of("/orders/" + ORDER, "/orders")) {
            mvc.perform(get(path))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "5"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(JourneyController.VIEW_UNAVAILABLE));
        }
    }

    @Test
    void listPagesWithAnOpaqueCursor() throws Exception {
        given(view.newestFirst("COMPLETED", 2, Long.MAX_VALUE)).willReturn(List.of(stored("COMPLETED", 9), stored("COMPLETED", 5)));
        given(view.newestFirst("COMPLETED", 2, 9)).willReturn(List.of(stored("COMPLETED", 5)));

        mvc.perform(get("/orders?status=COMPLETED&limit=1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.orders.length()").value(1))
                .andExpect(jsonPath("$.orders[0].customerName").value("Ana"))
                .andExpect(jsonPath("$.orders[0].totalAmount").value(59.97))
                .andExpect(jsonPath("$.nextCursor").value(OrderCursor.encode(9)));
        mvc.perform(get("/orders?status=COMPLETED&limit=1&cursor=" + OrderCursor.encode(9)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.orders.length()").value(1))
                .andExpect(jsonPath("$.nextCursor").isEmpty());
    }

    @Test
    void invalidQueryIs400Problem() throws Exception {
        for (String query : List.of("status=SHIPPED", "limit=0", "limit=101", "cursor=nope")) {
            mvc.perform(get("/orders?" + query))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(JourneyController.INVALID_QUERY));
        }
    }

    private static StoredOrder stored(String status) {
        return stored(status, 1);
    }

    private static StoredOrder stored(String status, long seq) {
        return new StoredOrder(ORDER, seq, status, List.of(), new Customer("c-42", "Ana", "ana@example.com"),
                List.of(new OrderItem("SKU-1", "Caneca", 3, new BigDecimal("19.99"))), "BRL", new BigDecimal("59.97"), AT,
                TRACE);
    }
}
