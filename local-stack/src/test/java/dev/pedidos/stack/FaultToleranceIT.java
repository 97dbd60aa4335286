package dev.pedidos.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault drill, in the manner of Kafka's own {@code replication_test}: orders are POSTed over
 * HTTP without pause while a broker and each consumer are killed with SIGKILL and started again.
 * After the drain, every order that was accepted ({@code 202}) has exactly one invoice and one
 * e-mail record, its journey in order-service shows {@code COMPLETED}, and no invoice exists for an
 * order that was not accepted.
 *
 * <p>Clients behave as DESIGN.md asks: every order carries an {@code Idempotency-Key}, and a
 * {@code 503} is retried with the same key.
 */
class FaultToleranceIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static final int CLIENTS = 4;

    private static final int MAX_ORDERS = 5_000;

    private static RecordedStack recorded;

    private static LocalStack stack;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startStack() {
        recorded = RecordedStack.start("fault-drill");
        stack = recorded.stack();
    }

    @AfterAll
    static void stopStack() {
        if (recorded != null) {
            recorded.close();
        }
    }

    @Test
    void everyAcceptedOrderIsBilledOnceAndNotifiedWhileBrokersAndConsumersAreKilled() throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicBoolean loading = new AtomicBoolean(true);
        Instant start = Instant.now();

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> load = java.util.stream.IntStream.range(0, CLIENTS)
                    .<Future<?>>mapToObj(client -> clients.submit(() -> {
                        while (loading.get() && accepted.size() < MAX_ORDERS) {
                            placeWithRetries(accepted, unavailable);
                        }
                        return null;
                    }))
                    .toList();

            pause(Duration.ofSeconds(5));
            stack.cluster().killBroker(2);
            stack.killService("billing-consumer");
            pause(Duration.ofSeconds(8));
            stack.cluster().startBroker(2);
            stack.restartService("billing-consumer");
            stack.killService("notification-consumer");
            stack.cluster().killBroker(3);
            pause(Duration.ofSeconds(8));
            stack.cluster().startBroker(3);
            stack.restartService("notification-consumer");
            pause(Duration.ofSeconds(5));

            loading.set(false);
            for (Future<?> client : load) {
                client.get();
            }
        }
        Duration loadTime = Duration.between(start, Instant.now());
        assertThat(accepted).as("orders accepted under faults").hasSizeGreaterThan(100);

        Instant drainStart = Instant.now();
        // Each poll stops at the first order not yet done, found soon while the drain goes on: asking for every
        // order at each poll would cost 2 GETs per order each time, CPU the draining consumers need.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(firstNotInvoicedAndEmailed(accepted)).as("an accepted order not yet invoiced and e-mailed")
                        .isEmpty());
        // Every accepted order's journey is complete in order-service's view (INVOICED and CONFIRMATION_SENT).
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(firstIncompleteJourney(accepted)).as("the journey of an accepted order, not complete").isEmpty());
        Duration drain = Duration.between(drainStart, Instant.now());
        // The launcher said when each killed process exited, brokers included.
        assertThat(recorded.linesOf("kafka-2", "kafka-2 (pid")).anyMatch(line -> line.contains("exit code 137 (SIGKILL)"));
        assertThat(recorded.linesOf(LocalStack.NAME, "billing-consumer (pid"))
                .anyMatch(line -> line.contains("exit code 137 (SIGKILL)"));

        // Exactly one invoice per accepted order, and none for anything else: the ledger holds as
        // many invoices as there are accepted order IDs (it is new for this test).
        assertThat(invoiceCount()).isEqualTo(accepted.size());
        recorded.lines().add(String.format("fault-drill | %d orders accepted in %d s (%d answers 503, retried), drained in %d s",
                accepted.size(), loadTime.toSeconds(), unavailable.get(), drain.toSeconds()));
    }

    private Optional<String> firstNotInvoicedAndEmailed(Set<String> accepted) throws IOException, InterruptedException {
        for (String orderId : accepted) {
            if (get(stack.baseUrl("billing-consumer"), "/invoices/" + orderId).statusCode() != 200
                    || get(stack.baseUrl("notification-consumer"), "/notifications/" + orderId).statusCode() != 200) {
                return Optional.of(orderId);
            }
        }
        return Optional.empty();
    }

    /** @return the first accepted order whose journey is not complete, with what {@code GET /orders/{id}} answered */
    private Optional<String> firstIncompleteJourney(Set<String> accepted) throws IOException, InterruptedException {
        for (String orderId : accepted) {
            HttpResponse<String> journey = get(stack.baseUrl("order-service"), "/orders/" + orderId);
            if (journey.statusCode() != 200 || !journey.body().contains("\"status\":\"COMPLETED\"")) {
                return Optional.of(orderId + " answered " + journey.statusCode() + ": " + journey.body());
            }
        }
        return Optional.empty();
    }

    private void placeWithRetries(Set<String> accepted, AtomicInteger unavailable) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpResponse<String> response = post(key);
                if (response.statusCode() == 202) {
                    Matcher id = ORDER_ID.matcher(response.body());
                    assertThat(id.find()).as(response.body()).isTrue();
                    accepted.add(id.group(1));
                    return;
                }
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                unavailable.incrementAndGet();
            } catch (IOException e) {
                // the connection broke: the outcome is unknown, retry with the same key (G2)
            }
            Thread.sleep(500);
        }
        throw new AssertionError("order " + key + " never accepted after 20 attempts");
    }

    private HttpResponse<String> post(String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(stack.baseUrl("order-service").resolve("/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"customer": {"name": "Bia Lima", "email": "bia@example.com"},
                         "items": [{"sku": "CHA-100G", "name": "Chá mate 100 g", "quantity": 3, "unitPrice": 12.35}]}
                        """))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int invoiceCount() throws IOException, InterruptedException {
        Pattern nextCursor = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
        Pattern invoice = Pattern.compile("\"orderId\"\\s*:");
        int count = 0;
        String cursor = null;
        do {
            String path = "/invoices?limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> page = get(stack.baseUrl("billing-consumer"), path);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            count += (int) invoice.matcher(page.body()).results().count();
            Matcher next = nextCursor.matcher(page.body());
            cursor = next.find() ? next.group(1) : null;
        } while (cursor != null);
        return count;
    }

    /** How long a fault lasts under load: the drill's schedule, not a wait for a result. */
    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }
}
