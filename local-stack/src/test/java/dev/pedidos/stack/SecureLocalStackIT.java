package dev.pedidos.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./run-local --secure} end to end: the built services, each with its own Kafka principal
 * (SASL_SSL, SCRAM-SHA-512) and nothing but its ACLs, carry orders from {@code POST} to an invoice
 * and an e-mail. That the ACLs refuse everything else is {@code SecureLocalKafkaClusterIT}'s
 * (dev-infra); this proves they allow everything the services need, topic creation included.
 */
class SecureLocalStackIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static RecordedStack recorded;

    private static LocalStack stack;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() {
        recorded = RecordedStack.start("secure-local-stack-it", true);
        stack = recorded.stack();
    }

    @AfterAll
    static void stopStack() {
        if (recorded != null) {
            recorded.close();
        }
    }

    @Test
    void everyAcceptedOrderIsInvoicedAndEmailedOverSaslSsl() throws Exception {
        assertThat(stack.cluster().security()).as("the stack's cluster runs in secure mode").isPresent();
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String email = "cliente" + UUID.randomUUID() + "@example.com";
            // As a client does (DESIGN G2): a 503 or a timeout is retried with the same Idempotency-Key.
            // The first sends of a cold service also open TLS connections and authenticate.
            HttpResponse<String> response = await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> post(email), answer -> answer.statusCode() == 202);
            Matcher id = ORDER_ID.matcher(response.body());
            assertThat(id.find()).as(response.body()).isTrue();
            orderIds.add(id.group(1));
        }

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(orderIds).allSatisfy(id -> {
            assertThat(recorded.linesOf("billing-consumer", id)).anyMatch(line -> line.contains("group billing"));
            assertThat(recorded.linesOf("notification-consumer", id)).anyMatch(line -> line.contains("group notification"));
        }));
        for (String id : orderIds) {
            HttpResponse<String> invoice = http.send(HttpRequest.newBuilder(
                    stack.baseUrl("billing-consumer").resolve("/invoices/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(invoice.statusCode()).as(invoice.body()).isEqualTo(200);
        }
        assertThat(recorded.lines()).as("no service was refused by an ACL")
                .noneMatch(line -> line.contains("AuthorizationException") || line.contains("AuthenticationException"));
    }

    private HttpResponse<String> post(String email) throws Exception {
        URI orders = stack.baseUrl("order-service").resolve("/orders");
        String json = """
                {"customer": {"name": "Ana Souza", "email": "%s"},
                 "items": [{"sku": "CAFE-500G", "name": "Café torrado 500 g", "quantity": 2, "unitPrice": 24.90}]}
                """.formatted(email);
        return http.send(HttpRequest.newBuilder(orders)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", email)
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
