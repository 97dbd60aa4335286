package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** {@code GET /notifications/{orderId}} over real HTTP, answered from the real sent log. */
abstract class NotificationHttpContract extends NotificationITSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sentConfirmationIsShown() throws Exception {
        // given an order that was e-mailed
        UUID orderId = UUID.randomUUID();
        send(order(orderId, "SKU-1", 2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sentLogRows(orderId)).hasSize(1));

        // when
        HttpResponse<String> response = get("/notifications/" + orderId);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("orderId").asString()).isEqualTo(orderId.toString());
        assertThat(body.get("recipient").asString()).isEqualTo("ana@example.com");
        assertThat(body.get("subject").asString()).isEqualTo(mails(orderId).getFirst().subject());
        assertThat(body.get("messageId").asString()).isEqualTo("<order-" + orderId + "@pedidos.dev>");
        assertThat(Instant.parse(body.get("sentAt").asString()))
                .isEqualTo(((Timestamp) sentLogRows(orderId).getFirst().get("sent_at")).toInstant());
    }

    @Test
    void orderWithoutConfirmationIsA404Problem() throws Exception {
        UUID orderId = UUID.randomUUID();

        HttpResponse<String> response = get("/notifications/" + orderId);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("detail").asString()).contains(orderId.toString());
    }

    @Test
    void orderIdThatIsNotAUuidIsA400Problem() throws Exception {
        HttpResponse<String> response = get("/notifications/pedido-42");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void apiIsPublishedAsOpenApiWithSwaggerUi() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs");

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/notifications/{orderId}", "\"404\"", "\"503\"", "Retry-After");
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
