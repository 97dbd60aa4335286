package dev.pedidos.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system test: the built services run as separate processes against a real three-broker
 * cluster, started by the same launcher as {@code ./run-local}, and are driven over HTTP only.
 */
class LocalStackIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static RecordedStack recorded;

    private static LocalStack stack;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() {
        recorded = RecordedStack.start("local-stack-it");
        stack = recorded.stack();
    }

    @AfterAll
    static void stopStack() {
        if (recorded != null) {
            recorded.close();
        }
    }

    @Test
    void everyAcceptedOrderIsInvoicedAndEmailedOnce() throws Exception {
        List<String> orderIds = new ArrayList<>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                posts.add(clients.submit(() -> post(order("cliente" + UUID.randomUUID() + "@example.com"))));
            }
            for (Future<HttpResponse<String>> post : posts) {
                HttpResponse<String> response = post.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                Matcher id = ORDER_ID.matcher(response.body());
                assertThat(id.find()).as(response.body()).isTrue();
                orderIds.add(id.group(1));
            }
        }
        assertThat(orderIds).doesNotHaveDuplicates().hasSize(50);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(orderIds).allSatisfy(id -> {
                assertThat(recorded.linesOf("billing-consumer", id)).anyMatch(line -> line.contains("group billing"));
                assertThat(recorded.linesOf("notification-consumer", id)).anyMatch(line -> line.contains("group notification"));
            });
        });
        // Each order's journey is complete in order-service's view (needs billing's INVOICED and notification's
        // CONFIRMATION_SENT on pedidos-status).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(orderIds).allSatisfy(id -> {
            HttpResponse<String> journey = get(stack.baseUrl("order-service").resolve("/orders/" + id));
            assertThat(journey.statusCode()).as(journey.body()).isEqualTo(200);
            assertThat(journey.body()).as("journey of %s", id).contains("\"status\":\"COMPLETED\"");
        }));
        for (String id : orderIds) {
            HttpResponse<String> invoice = get(stack.baseUrl("billing-consumer").resolve("/invoices/" + id));
            assertThat(invoice.statusCode()).as(invoice.body()).isEqualTo(200);
            assertThat(invoice.body()).contains(id, "57.30");
            HttpResponse<String> notification = get(stack.baseUrl("notification-consumer").resolve("/notifications/" + id));
            assertThat(notification.statusCode()).as(notification.body()).isEqualTo(200);
            assertThat(stack.mailbox().received())
                    .filteredOn(mail -> mail.messageId().contains(id))
                    .singleElement()
                    .satisfies(mail -> assertThat(mail.body()).contains("57.30"));
        }
    }

    @Test
    void aBadOrderIsRefusedAndReachesNoConsumer() throws Exception {
        String email = "not-an-address-" + UUID.randomUUID();

        HttpResponse<String> response = post(order(email));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("customer.email");
        assertThat(recorded.lines()).noneMatch(line -> line.contains(email));
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws IOException, InterruptedException {
        URI orders = stack.baseUrl("order-service").resolve("/orders");
        HttpRequest request = HttpRequest.newBuilder(orders)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String order(String email) {
        return """
                {"customer": {"name": "Ana Souza", "email": "%s"},
                 "items": [{"sku": "CAFE-500G", "name": "Café torrado 500 g", "quantity": 2, "unitPrice": 24.90},
                           {"sku": "FILTRO-103", "name": "Filtro de papel 103", "quantity": 1, "unitPrice": 7.50}]}
                """.formatted(email);
    }
}
