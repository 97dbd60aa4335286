package dev.pedidos.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Projection lag of order-service's journey view on the whole stack: orders are POSTed at a paced
 * rate (200/s by default); for each, the time from its {@code 202} (client clock) to when the view
 * wrote its {@code ACCEPTED} step, and to when it wrote the step that made it {@code COMPLETED}
 * (the later of {@code INVOICED} and {@code CONFIRMATION_SENT}), read from the view's
 * {@code journey_step.recorded_at} (the database's clock, same machine). Right after each
 * {@code 202} the benchmark also GETs the {@code Location} and counts the answers that are not 200
 * (read your own write).
 *
 * <p>{@code COMPLETED} needs billing's and notification's status events; without them the run reports
 * {@code ACCEPTED} only. Not a test of a target: it prints figures. Run it on demand:
 *
 * <pre>
 * ./mvnw -q install -DskipTests &amp;&amp; ./mvnw -pl local-stack verify -Dit.test=JourneyLagBenchmark
 * </pre>
 *
 * <p>System properties: {@code benchmark.rate} (orders/s, default 200), {@code benchmark.seconds}
 * (default 30, measured after {@code benchmark.warmup-seconds} of a pace ramping up to the rate, default 45),
 * {@code benchmark.completed} ({@code false} to measure {@code ACCEPTED} only).
 */
class JourneyLagBenchmark {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static final String ORDER = """
            {"customer": {"id": "c-1001", "name": "Ana Souza", "email": "ana.souza@example.com"},
             "items": [{"sku": "CAFE-500G", "name": "Café torrado 500 g", "quantity": 2, "unitPrice": 24.90}]}
            """;

    @Test
    void projectionLagAtAPacedRate() throws Exception {
        int rate = Integer.getInteger("benchmark.rate", 200);
        int seconds = Integer.getInteger("benchmark.seconds", 30);
        int warmupSeconds = Integer.getInteger("benchmark.warmup-seconds", 45);
        boolean completed = Boolean.parseBoolean(System.getProperty("benchmark.completed", "true"));
        try (RecordedStack recorded = RecordedStack.start("journey-benchmark")) {
            LocalStack stack = recorded.stack();
            // Warm-up, not counted: the JIT compiles the services' paths for tens of seconds, and a cold stack offered
            // 200 orders/s at once falls behind and never catches up on two cores. So the pace ramps up, a second at
            // a time (each second's requests answered before the next), from rate/warmupSeconds to the rate. A
            // cold stack may answer 503 (Kafka did not acknowledge within 7 s); a client retries those.
            AtomicInteger refused = new AtomicInteger();
            for (int second = 1; second <= warmupSeconds; second++) {
                run(stack, Math.max(1, rate * second / warmupSeconds), 1, new ConcurrentHashMap<>(), new AtomicInteger(),
                        refused);
            }
            report(String.format("warm-up: %d s ramping up to %d orders/s, %d answers not 202", warmupSeconds, rate,
                    refused.get()));

            Map<String, Instant> accepted = new ConcurrentHashMap<>();
            AtomicInteger notFound = new AtomicInteger();
            double actualRate = run(stack, rate, seconds, accepted, notFound, null);

            String url = stack.postgres().jdbcUrl("orders");
            Map<String, long[]> lags = new HashMap<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                lags.clear();
                lags.putAll(lags(url, accepted, completed));
                assertThat(lags.get("ACCEPTED")).hasSize(accepted.size());
                if (completed) {
                    assertThat(lags.get("COMPLETED")).hasSize(accepted.size());
                }
            });
            report(String.format("paced %,d orders at %.0f orders/s; GET of the Location right after the 202: %d of %d not 200",
                    accepted.size(), actualRate, notFound.get(), accepted.size()));
            for (Map.Entry<String, long[]> lag : lags.entrySet()) {
                long[] sorted = lag.getValue();
                Arrays.sort(sorted);
                report(String.format("202 -> %-9s in the view, ms: p50 %d  p90 %d  p99 %d  max %d", lag.getKey(),
                        at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1]));
            }
        }
    }

    /**
     * POSTs at {@code rate} per second for {@code seconds}; records each 202's arrival and GETs its Location.
     *
     * @param refused counts the answers that are not 202; {@code null} to fail on the first one
     */
    private static double run(LocalStack stack, int rate, int seconds, Map<String, Instant> accepted, AtomicInteger notFound,
            AtomicInteger refused) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = stack.baseUrl("order-service");
        HttpRequest post = HttpRequest.newBuilder(base.resolve("/orders"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(ORDER, StandardCharsets.UTF_8))
                .build();
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                LockSupport.parkNanos(start + i * interval - System.nanoTime());
                sent.add(clients.submit(() -> {
                    HttpResponse<String> response;
                    try {
                        response = http.send(post, HttpResponse.BodyHandlers.ofString());
                    }
                    catch (HttpTimeoutException e) {
                        if (refused == null) {
                            throw e;
                        }
                        refused.incrementAndGet();
                        return null;
                    }
                    Instant at = Instant.now();
                    if (refused != null && response.statusCode() != 202) {
                        refused.incrementAndGet();
                        return null;
                    }
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                    Matcher id = ORDER_ID.matcher(response.body());
                    assertThat(id.find()).isTrue();
                    accepted.put(id.group(1), at);
                    String location = response.headers().firstValue("Location").orElseThrow();
                    HttpResponse<Void> journey;
                    try {
                        journey = http.send(HttpRequest.newBuilder(base.resolve(location)).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                    catch (HttpTimeoutException e) {
                        if (refused == null) {
                            throw e;
                        }
                        notFound.incrementAndGet();
                        return null;
                    }
                    if (journey.statusCode() != 200) {
                        notFound.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    /** Lag per order in ms: ACCEPTED, and COMPLETED for the orders that are. */
    private static Map<String, long[]> lags(String url, Map<String, Instant> accepted, boolean completed) throws Exception {
        Map<String, Instant> acceptedStep = new HashMap<>();
        Map<String, Instant> lastOutcome = new HashMap<>();
        Map<String, Integer> outcomes = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url, "orders", "orders");
             PreparedStatement select = connection.prepareStatement(
                     "select order_id::text, stage, recorded_at from journey_step where order_id = any(?::uuid[])")) {
            select.setArray(1, connection.createArrayOf("text", accepted.keySet().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String orderId = rows.getString(1);
                    Instant at = rows.getTimestamp(3).toInstant();
                    switch (rows.getString(2)) {
                        case "ACCEPTED" -> acceptedStep.put(orderId, at);
                        case "INVOICED", "CONFIRMATION_SENT" -> {
                            outcomes.merge(orderId, 1, Integer::sum);
                            lastOutcome.merge(orderId, at, (a, b) -> a.isAfter(b) ? a : b);
                        }
                        default -> {
                        }
                    }
                }
            }
        }
        Map<String, long[]> lags = new HashMap<>();
        lags.put("ACCEPTED", acceptedStep.entrySet().stream()
                .mapToLong(e -> Duration.between(accepted.get(e.getKey()), e.getValue()).toMillis()).toArray());
        if (completed) {
            lags.put("COMPLETED", lastOutcome.entrySet().stream()
                    .filter(e -> outcomes.get(e.getKey()) == 2)
                    .mapToLong(e -> Duration.between(accepted.get(e.getKey()), e.getValue()).toMillis()).toArray());
        }
        return lags;
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
    }

    /** The benchmark's result: printed, since printing figures is what it is for. */
    private static void report(String line) {
        System.out.println("BENCHMARK " + line);
    }
}
