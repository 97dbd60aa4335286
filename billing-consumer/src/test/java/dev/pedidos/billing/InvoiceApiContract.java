package dev.pedidos.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pedidos.events.OrderCreated;
import tools.jackson.databind.JsonNode;

/** {@code GET /invoices/{orderId}} and {@code GET /invoices} over HTTP, on invoices the listener recorded. */
abstract class InvoiceApiContract extends BillingIntegrationSupport {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void invoiceOfABilledOrderIsItsJson() {
        // given
        OrderCreated order = order(UUID.randomUUID(), "SKU-7", 3);
        var sent = send(order);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(order.orderId())).isPresent());

        // when
        HttpResponse<String> response = get("/invoices/" + order.orderId());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode invoice = body(response);
        assertThat(invoice.get("orderId").asString()).isEqualTo(order.orderId().toString());
        assertThat(invoice.get("number").asString()).startsWith("INV-").hasSize(16);
        assertThat(invoice.get("customer").get("email").asString()).isEqualTo("ana@example.com");
        assertThat(invoice.get("lines").get(0).get("sku").asString()).isEqualTo("SKU-7");
        assertThat(invoice.get("lines").get(0).get("quantity").asInt()).isEqualTo(3);
        assertThat(invoice.get("total").decimalValue()).isEqualByComparingTo("59.70");
        assertThat(invoice.get("currency").asString()).isEqualTo("BRL");
        assertThat(invoice.get("source").get("partition").asInt()).isEqualTo(sent.partition());
        assertThat(invoice.get("source").get("offset").asLong()).isEqualTo(sent.offset());
    }

    @Test
    void apiIsPublishedAsOpenApiWithSwaggerUi() {
        HttpResponse<String> docs = get("/v3/api-docs");

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/invoices/{orderId}", "/invoices", "\"maximum\":100", "\"404\"");
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownOrderIsANotFoundProblem() {
        HttpResponse<String> response = get("/invoices/" + UUID.randomUUID());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(body(response).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void malformedOrderIdLimitOrCursorIsABadRequestProblem() {
        for (String path : List.of("/invoices/not-a-uuid", "/invoices?limit=0", "/invoices?limit=101",
                "/invoices?cursor=" + URLEncoder.encode("page 2", java.nio.charset.StandardCharsets.UTF_8))) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path).contains(PROBLEM_JSON);
        }
    }

    @Test
    void invoicesArePagedNewestFirstWithACursor() {
        // given five orders billed one after the other
        List<UUID> billed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OrderCreated order = order(UUID.randomUUID(), "PAGE-" + i, 1);
            send(order);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(order.orderId())).isPresent());
            billed.add(order.orderId());
        }

        // when the newest are read two at a time
        JsonNode first = body(get("/invoices?limit=2"));
        JsonNode second = body(get("/invoices?limit=2&cursor=" + first.get("nextCursor").asString()));
        JsonNode third = body(get("/invoices?limit=2&cursor=" + second.get("nextCursor").asString()));

        // then they come newest first, each once
        assertThat(orderIds(first)).containsExactly(billed.get(4), billed.get(3));
        assertThat(orderIds(second)).containsExactly(billed.get(2), billed.get(1));
        assertThat(orderIds(third)).startsWith(billed.get(0));
        // and the walk ends on a page without nextCursor
        JsonNode page = body(get("/invoices?limit=100"));
        while (!page.get("nextCursor").isNull()) {
            page = body(get("/invoices?limit=100&cursor=" + page.get("nextCursor").asString()));
        }
        assertThat(page.has("nextCursor")).isTrue();
        assertThat(page.get("items").size()).isBetween(1, 100);
    }

    private static List<UUID> orderIds(JsonNode page) {
        List<UUID> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(UUID.fromString(item.get("orderId").asString())));
        return ids;
    }
}
