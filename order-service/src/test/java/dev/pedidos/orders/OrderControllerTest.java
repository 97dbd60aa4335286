package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.orders.OrderPublisher.OrderNotAcknowledgedException;
import dev.pedidos.orders.OrderPublisher.Published;
import dev.pedidos.orders.idempotency.IdempotencyKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.resilience.InvocationRejectedException;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The HTTP contract of {@code POST /orders}, with the Kafka edge replaced by a mock. */
@WebMvcTest(controllers = OrderController.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "dev\\.pedidos\\.orders\\.journey\\..*")) // the read side's advice, tested in its own package
@Import(Orders.class)
@EnableConfigurationProperties(OrderServiceProperties.class)
class OrderControllerTest {

    /** spring.jackson.factory.constraints.read.max-document-length of application.yml. */
    static final int MAX_BODY_BYTES = 512 * 1024;

    private static final String VALID = """
            {"customer": {"id": "c-42", "name": "Ana", "email": "ana@example.com"},
             "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 3, "unitPrice": 19.99}]}
            """;

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private OrderPublisher publisher;

    @MockitoBean
    private IdempotencyKeys keys;

    private final IdempotencyKeys.Claim claim = mock(IdempotencyKeys.Claim.class);

    @BeforeEach
    void keysAreFree() {
        given(keys.claim(any(), any(), any())).willReturn(claim);
    }

    @Test
    void acceptedOrderAnswers202WithLocationAndBody() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(3, 42));

        var result = mvc.perform(order(VALID))
                .andExpect(status().isAccepted())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.status").value("ACCEPTED"))
                .andExpect(jsonPath("$.totalAmount").value(59.97))
                .andExpect(jsonPath("$.currency").value("BRL"))
                .andReturn();

        var event = ArgumentCaptor.forClass(OrderCreated.class);
        then(publisher).should().publish(event.capture());
        UUID orderId = event.getValue().orderId();
        assertThat(result.getResponse().getHeader("Location")).isEqualTo("/orders/" + orderId);
        assertThat(result.getResponse().getContentAsString()).contains("\"orderId\":\"" + orderId + "\"")
                .contains("\"totalAmount\":59.97");
        assertThat(event.getValue().totalAmount()).isEqualTo(new BigDecimal("59.97"));
        assertThat(event.getValue().currency()).isEqualTo("BRL");
    }

    @Test
    void idempotencyKeyDeterminesTheOrderId() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));
        UUID expected = Orders.orderIdFor("checkout-7f3a");

        mvc.perform(order(VALID).header("Idempotency-Key", "checkout-7f3a"))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/orders/" + expected))
                .andExpect(jsonPath("$.orderId").value(expected.toString()));
    }

    @Test
    void everyInvalidFieldIsNamed() throws Exception {
        String invalid = """
                {"customer": {"name": "", "email": "not-an-address"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 0, "unitPrice": 1.00},
                           {"sku": "", "name": "Prato", "quantity": 1, "unitPrice": 1.2345}],
                 "currency": "ABC"}
                """;

        mvc.perform(order(invalid))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.INVALID_ORDER))
                .andExpect(jsonPath("$.title").value("Invalid order"))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.instance").value("/orders"))
                .andExpect(jsonPath("$.errors", hasSize(6)))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("customer.name",
                        "customer.email", "items[0].quantity", "items[1].sku", "items[1].unitPrice", "currency")))
                .andExpect(jsonPath("$.errors[?(@.field == 'items[0].quantity')].message")
                        .value(containsInAnyOrder(containsString("1"))));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void missingItemsAreNamed() throws Exception {
        mvc.perform(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"}, "items": []}
                """))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("items")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 256})
    void invalidIdempotencyKeyIsNamed(int length) throws Exception {
        String key = length == 1 ? " " : "k".repeat(length);

        mvc.perform(order(VALID).header("Idempotency-Key", key))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.INVALID_ORDER))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("Idempotency-Key")));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void longestIdempotencyKeyIsAccepted() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));

        mvc.perform(order(VALID).header("Idempotency-Key", "k".repeat(255)))
                .andExpect(status().isAccepted());
    }

    @Test
    void malformedJsonIs400WithItsPosition() throws Exception {
        mvc.perform(order("{\"customer\": {\"name\": \"Ana\",\n \"email\": }"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.MALFORMED_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("line 2")));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void valueOfTheWrongTypeIsNamed() throws Exception {
        mvc.perform(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": "three", "unitPrice": 1}]}
                """))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.MALFORMED_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("items[0].quantity")));
    }

    // Issue 8's table, row by row: each is a 4xx naming the field, and nothing is published.

    @Test
    void fractionalQuantityIs400NotTruncated() throws Exception {
        rejected(order(withItem("\"quantity\": 1.5, \"unitPrice\": 1.00")), OrderProblems.MALFORMED_JSON,
                "items[0].quantity", "integer");
    }

    @Test
    void quantityAsStringIs400NotCoerced() throws Exception {
        rejected(order(withItem("\"quantity\": \"2\", \"unitPrice\": 1.00")), OrderProblems.MALFORMED_JSON,
                "items[0].quantity", "integer");
    }

    @Test
    void aPriceWithAHugeExponentIs400Not500() throws Exception {
        // Bean Validation's @Digits computes precision - scale in an int, which overflows for this one
        rejected(order(withItem("\"quantity\": 1, \"unitPrice\": 1E+2147483647")), OrderProblems.INVALID_ORDER,
                "items[0].unitPrice", "10^12");
        then(publisher).shouldHaveNoInteractions();
    }

    @Test
    void priceAsStringIs400NotCoerced() throws Exception {
        rejected(order(withItem("\"quantity\": 2, \"unitPrice\": \"1.00\"")), OrderProblems.MALFORMED_JSON,
                "items[0].unitPrice", "number");
    }

    @Test
    void numberForTextIs400NotCoerced() throws Exception {
        rejected(order("""
                {"customer": {"name": 42, "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}]}
                """), OrderProblems.MALFORMED_JSON, "customer.name", "string");
    }

    @Test
    void singleItemWithoutArrayIs400() throws Exception {
        rejected(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "items": {"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}}
                """), OrderProblems.MALFORMED_JSON, "items", "array");
    }

    @Test
    void duplicateCustomerIs400NotLastWins() throws Exception {
        rejected(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "customer": {"name": "Eve", "email": "eve@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}]}
                """), OrderProblems.MALFORMED_JSON, "customer", "more than once");
    }

    @Test
    void duplicateNestedFieldIsNamedWithItsPath() throws Exception {
        rejected(order(withItem("\"quantity\": 1, \"quantity\": 9, \"unitPrice\": 1.00")),
                OrderProblems.MALFORMED_JSON, "items[0].quantity", "more than once");
    }

    @Test
    void unknownFieldIs400() throws Exception {
        rejected(order(withItem("\"quantity\": 1, \"unitPrice\": 1.00, \"discount\": 0.5")),
                OrderProblems.MALFORMED_JSON, "items[0].discount", "not a field");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\r\\n", "\\u0007", "\\u007f", "\\u0085", "\\u009f", "\\ud800"})
    void controlCharacterInNameIs400(String escaped) throws Exception {
        rejected(order("""
                {"customer": {"name": "Ana%sSouza", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}]}
                """.formatted(escaped)), OrderProblems.INVALID_ORDER, "customer.name", "");
    }

    @Test
    void controlCharactersInSkuItemNameAndEmailAreNamed() throws Exception {
        mvc.perform(order("""
                {"customer": {"name": "Ana", "email": "ana@exam\\tple.com"},
                 "items": [{"sku": "SKU\\n1", "name": "Ca\\u0000neca", "quantity": 1, "unitPrice": 1.00}]}
                """))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(OrderProblems.INVALID_ORDER))
                .andExpect(jsonPath("$.errors[?(@.field == 'items[0].sku')].message")
                        .value(containsInAnyOrder(containsString("control characters"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'items[0].name')].message")
                        .value(containsInAnyOrder(containsString("control characters"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'customer.email')].message")
                        .value(org.hamcrest.Matchers.hasItem(containsString("control characters"))));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void lengthsCountCodePoints() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 chars

        mvc.perform(order("""
                {"customer": {"name": "%s", "email": "ana@example.com"},
                 "items": [{"sku": "%s", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}]}
                """.formatted(emoji.repeat(200), emoji.repeat(64))))
                .andExpect(status().isAccepted());
    }

    @Test
    void nameOverItsLimitInCodePointsIs400() throws Exception {
        rejected(order("""
                {"customer": {"name": "%s", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}]}
                """.formatted("\uD83D\uDE00".repeat(201))), OrderProblems.INVALID_ORDER, "customer.name", "200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBD", "XDR", "XSU", "XUA", "BOV", "CHE",
            "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "DEM", "HRK"})
    void currencyThatDoesNotPriceGoodsIs400(String currency) throws Exception {
        rejected(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1}],
                 "currency": "%s"}
                """.formatted(currency)), OrderProblems.INVALID_ORDER, "currency", "prices goods");
    }

    @Test
    void wholePriceCarriesTheMinorUnitDownstream() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));

        var result = mvc.perform(order(withItem("\"quantity\": 2, \"unitPrice\": 1")))
                .andExpect(status().isAccepted())
                .andReturn();

        var event = ArgumentCaptor.forClass(OrderCreated.class);
        then(publisher).should().publish(event.capture());
        assertThat(event.getValue().items().getFirst().unitPrice()).hasToString("1.00");
        assertThat(event.getValue().totalAmount()).hasToString("2.00");
        assertThat(result.getResponse().getContentAsString()).contains("\"totalAmount\":2.00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BRL:1.001", "JPY:1.5", "USD:0.125"})
    void priceWithMoreDecimalsThanItsCurrencyIs400(String currencyAndPrice) throws Exception {
        String[] parts = currencyAndPrice.split(":");
        rejected(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": %s}],
                 "currency": "%s"}
                """.formatted(parts[1], parts[0])), OrderProblems.INVALID_ORDER, "items[0].unitPrice", "decimals");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JPY:500:500", "KWD:1.005:1.005", "BRL:1.10:1.10", "BRL:1E+2:100.00", "JPY:7.000:7"})
    void priceIsCarriedWithItsCurrencysMinorUnit(String currencyPriceAndEvent) throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));
        String[] parts = currencyPriceAndEvent.split(":");

        mvc.perform(order("""
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": %s}],
                 "currency": "%s"}
                """.formatted(parts[1], parts[0])))
                .andExpect(status().isAccepted());

        var event = ArgumentCaptor.forClass(OrderCreated.class);
        then(publisher).should().publish(event.capture());
        assertThat(event.getValue().items().getFirst().unitPrice()).hasToString(parts[2]);
        assertThat(event.getValue().totalAmount()).hasToString(parts[2]);
    }

    @Test
    void nonAsciiEmailIs400() throws Exception {
        rejected(order("""
                {"customer": {"name": "Ana", "email": "jos\u00e9@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 1.00}]}
                """), OrderProblems.INVALID_ORDER, "customer.email", "ASCII");
    }

    @Test
    void orderWithoutKeyNeverTouchesTheKeyStore() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));

        mvc.perform(order(VALID)).andExpect(status().isAccepted());

        then(keys).shouldHaveNoInteractions();
    }

    @Test
    void keyIsClaimedWithTheOrdersFingerprintAndReleasedAfterThePublish() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));

        mvc.perform(order(VALID).header("Idempotency-Key", "checkout-1")).andExpect(status().isAccepted());

        var inOrder = org.mockito.Mockito.inOrder(keys, publisher, claim);
        inOrder.verify(keys).claim(org.mockito.ArgumentMatchers.eq("checkout-1"),
                org.mockito.ArgumentMatchers.matches("[0-9a-f]{64}"),
                org.mockito.ArgumentMatchers.eq(Orders.orderIdFor("checkout-1")));
        inOrder.verify(publisher).publish(any());
        inOrder.verify(claim).close();
    }

    @Test
    void keyIsReleasedWhenThePublishIsNotAcknowledged() throws Exception {
        given(publisher.publish(any())).willThrow(new OrderNotAcknowledgedException(Orders.orderIdFor("k-503"),
                new TimeoutException("Expiring 1 record(s)")));

        mvc.perform(order(VALID).header("Idempotency-Key", "k-503")).andExpect(status().isServiceUnavailable());

        then(claim).should().close();
    }

    @Test
    void keyReusedWithAnotherOrderIs422() throws Exception {
        given(keys.claim(any(), any(), any())).willThrow(new IdempotencyKeys.KeyReusedException("checkout-1"));

        mvc.perform(order(VALID).header("Idempotency-Key", "checkout-1"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.KEY_REUSED))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("Idempotency-Key")));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void keyInFlightIs409() throws Exception {
        given(keys.claim(any(), any(), any())).willThrow(new IdempotencyKeys.KeyInFlightException("checkout-1"));

        mvc.perform(order(VALID).header("Idempotency-Key", "checkout-1"))
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.KEY_IN_FLIGHT))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("Idempotency-Key")));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void keyStoreUnavailableIs503WithRetryAfter() throws Exception {
        given(keys.claim(any(), any(), any())).willThrow(new IdempotencyKeys.StoreUnavailableException(
                new org.springframework.jdbc.CannotGetJdbcConnectionException("Connection refused")));

        mvc.perform(order(VALID).header("Idempotency-Key", "checkout-1"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.KEY_STORE_UNAVAILABLE))
                // counted apart from Kafka not acknowledging: a database outage, not a broker one
                .andExpect(request().attribute(OrderOutcomeMetrics.OUTCOME, OrderOutcomeMetrics.KEY_STORE_UNAVAILABLE));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void invalidOrderWithAKeyNeverTouchesTheKeyStore() throws Exception {
        mvc.perform(order(withItem("\"quantity\": 0, \"unitPrice\": 1.00")).header("Idempotency-Key", "checkout-1"))
                .andExpect(status().isBadRequest());

        then(keys).shouldHaveNoInteractions();
    }

    /** A problem of {@code type} whose {@code errors} name {@code field} with a message containing {@code says}. */
    private void rejected(MockHttpServletRequestBuilder request, String type, String field, String says)
            throws Exception {
        mvc.perform(request)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(type))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItem(field)))
                .andExpect(jsonPath("$.errors[?(@.field == '" + field + "')].message")
                        .value(org.hamcrest.Matchers.hasItem(containsString(says))));

        then(publisher).should(never()).publish(any());
    }

    private static String withItem(String quantityAndPrice) {
        return """
                {"customer": {"name": "Ana", "email": "ana@example.com"},
                 "items": [{"sku": "SKU-1", "name": "Caneca", %s}]}
                """.formatted(quantityAndPrice);
    }

    @Test
    void missingBodyIs400() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.MALFORMED_JSON));
    }

    @Test
    void bodyThatIsNotJsonIs415() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content("3 canecas"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.UNSUPPORTED_MEDIA_TYPE))
                .andExpect(jsonPath("$.title").value("Unsupported media type"));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void bodyOver512KiBIs413() throws Exception {
        // Valid JSON (trailing spaces are allowed), so only the size is wrong.
        String tooLarge = VALID + " ".repeat(MAX_BODY_BYTES);

        mvc.perform(order(tooLarge))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.PAYLOAD_TOO_LARGE))
                .andExpect(jsonPath("$.detail").value(containsString("524288 bytes")));

        then(publisher).should(never()).publish(any());
    }

    @Test
    void bodyOfExactly512KiBIsAccepted() throws Exception {
        given(publisher.publish(any())).willReturn(new Published(0, 0));
        String body = VALID.strip();
        String exactly = body + " ".repeat(MAX_BODY_BYTES - body.length());

        mvc.perform(order(exactly)).andExpect(status().isAccepted());
    }

    @Test
    void unacknowledgedOrderIs503WithRetryAfter() throws Exception {
        UUID orderId = Orders.orderIdFor("checkout-503");
        given(publisher.publish(any())).willThrow(
                new OrderNotAcknowledgedException(orderId, new TimeoutException("Expiring 1 record(s)")));

        mvc.perform(order(VALID).header("Idempotency-Key", "checkout-503"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.NOT_ACKNOWLEDGED))
                .andExpect(jsonPath("$.title").value("Order not acknowledged"))
                .andExpect(jsonPath("$.orderId").value(orderId.toString()));
    }

    @Test
    void tooManyOrdersInFlightIs503OverloadedWithRetryAfter() throws Exception {
        given(publisher.publish(any())).willThrow(new InvocationRejectedException("limit reached", publisher));

        mvc.perform(order(VALID))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.OVERLOADED))
                .andExpect(jsonPath("$.title").value("Too many orders in flight"))
                // what OrderOutcomeMetrics counts it by (a 503 alone would read as not_acknowledged)
                .andExpect(request().attribute(OrderOutcomeMetrics.OUTCOME, OrderOutcomeMetrics.OVERLOADED));
    }

    @Test
    void unexpectedFailureIs500Problem() throws Exception {
        given(publisher.publish(any())).willThrow(new IllegalStateException("bug"));

        mvc.perform(order(VALID))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(OrderProblems.INTERNAL_ERROR))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(containsString("bug"))));
    }

    @Test
    void otherMethodsAre405ProblemsNot500() throws Exception {
        mvc.perform(get("/orders"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void aClientThatAcceptsNoJsonIsRefusedBeforeAnythingIsPublished() throws Exception {
        mvc.perform(order(VALID).accept(MediaType.TEXT_PLAIN))
                .andExpect(status().isNotAcceptable());

        then(publisher).shouldHaveNoInteractions();
    }

    @Test
    void problemIsServedToClientsAcceptingOnlyJson() throws Exception {
        mvc.perform(order("{").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(OrderProblems.MALFORMED_JSON));
    }

    private static MockHttpServletRequestBuilder order(String json) {
        return post("/orders").contentType(MediaType.APPLICATION_JSON).content(json);
    }
}
