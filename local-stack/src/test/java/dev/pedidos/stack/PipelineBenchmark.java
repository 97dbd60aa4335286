package dev.pedidos.stack;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.pedidos.infra.ManagedProcess;
import dev.pedidos.kafka.ChildMain;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Figures of the whole pipeline on this machine, in one run on one stack:
 * <ol>
 * <li>Kafka's own {@code kafka-producer-perf-test} ({@code ProducerPerformance}): acks=all,
 *     idempotent, the record size of an order, a topic laid out like {@code pedidos-pendentes};</li>
 * <li>{@code POST /orders} (HTTP, validation, JSON, acks=all, idempotent producer) from concurrent
 *     clients, throughput and latency percentiles, with both consumers stopped so that, like the
 *     producer tool, it has the brokers and the cores to itself;</li>
 * <li>the consumers started again: how fast each group catches up on those orders (billing:
 *     invoice ledger; notification: one e-mail over SMTP and a sent-log row per order).</li>
 * </ol>
 * Not a test of a target: it prints figures. Failsafe's default patterns do not match it; run it
 * on demand:
 *
 * <pre>
 * ./mvnw -q install -DskipTests &amp;&amp; ./mvnw -pl local-stack verify -Dit.test=PipelineBenchmark
 * </pre>
 *
 * <p>System properties: {@code benchmark.orders} (default 20000), {@code benchmark.clients}
 * (concurrent HTTP clients, default 64).
 */
class PipelineBenchmark {

    private static final String ORDER = """
            {"customer": {"id": "c-1001", "name": "Ana Souza", "email": "ana.souza@example.com"},
             "items": [{"sku": "CAFE-500G", "name": "Café torrado 500 g", "quantity": 2, "unitPrice": 24.90},
                       {"sku": "FILTRO-103", "name": "Filtro de papel 103", "quantity": 1, "unitPrice": 7.50}]}
            """;

    /** About the size of the OrderCreated value that ORDER produces, in bytes. */
    private static final int RECORD_BYTES = 520;

    @Test
    void postOrdersBesideTheRawProducer() throws Exception {
        int orders = Integer.getInteger("benchmark.orders", 20_000);
        int clients = Integer.getInteger("benchmark.clients", 64);
        try (RecordedStack recorded = RecordedStack.start("benchmark")) {
            LocalStack stack = recorded.stack();
            Map<String, String> raw = rawProducer(stack.bootstrapServers(), orders);

            stack.killService("billing-consumer");
            stack.killService("notification-consumer");
            int warmUp = Math.min(2_000, orders / 5);
            post(stack, warmUp, clients);
            long started = System.nanoTime();
            long[] latencies = post(stack, orders, clients);
            double seconds = (System.nanoTime() - started) / 1e9;

            Arrays.sort(latencies);
            report(String.format("POST /orders     %,d orders, %d clients: %,.0f orders/s; latency ms p50 %.1f  p95 %.1f  p99 %.1f  p99.9 %.1f  max %.1f",
                    orders, clients, orders / seconds, ms(latencies, 0.50), ms(latencies, 0.95), ms(latencies, 0.99),
                    ms(latencies, 0.999), latencies[latencies.length - 1] / 1e6));
            report(String.format("producer tool    %s records of %d B, acks=all, idempotent: %s records/s; latency ms p50 %s  p95 %s  p99 %s  p99.9 %s  max %s",
                    raw.get("records"), RECORD_BYTES, raw.get("rate"), raw.get("p50"), raw.get("p95"), raw.get("p99"),
                    raw.get("p999"), raw.get("max")));

            int total = warmUp + orders;
            for (String consumer : List.of("billing-consumer", "notification-consumer")) {
                stack.restartService(consumer);
                // Timed from when the service reports healthy; what it processed before is not counted.
                long healthy = System.nanoTime();
                String processed = consumer.equals("billing-consumer") ? "Invoiced order" : "E-mailed order";
                int before = recorded.linesOf(consumer, processed).size();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> recorded.linesOf(consumer, processed).size() >= total);
                double caughtUp = (System.nanoTime() - healthy) / 1e9;
                report(String.format("%-16s caught up on %,d orders in %.1f s once healthy: %,.0f orders/s",
                        consumer, total, caughtUp, (total - before) / caughtUp));
            }
        }
    }

    /** Runs kafka-producer-perf-test against a topic laid out like pedidos-pendentes; returns its summary. */
    private static Map<String, String> rawProducer(String bootstrapServers, int records) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic("benchmark-raw", 6, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        List<String> output = new ArrayList<>();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", ChildMain.location() + File.pathSeparator + ChildMain.brokerClasspath(),
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "benchmark-raw",
                "--num-records", Integer.toString(records),
                "--record-size", Integer.toString(RECORD_BYTES),
                "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrapServers, "acks=all", "enable.idempotence=true",
                "linger.ms=5");
        int exit = ManagedProcess.start("producer-perf-test", command, (name, line) -> output.add(line))
                .awaitExit(Duration.ofMinutes(5));
        assertThat(exit).as(String.join("\n", output)).isZero();
        // "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P ms 50th, ..."
        String summary = output.stream().filter(line -> line.contains("50th")).reduce((a, b) -> b).orElseThrow();
        String[] parts = summary.split(", ");
        return Map.of(
                "records", parts[0].split(" ")[0],
                "rate", parts[1].split(" ")[0],
                "max", parts[3].split(" ")[0],
                "p50", parts[4].split(" ")[0],
                "p95", parts[5].split(" ")[0],
                "p99", parts[6].split(" ")[0],
                "p999", parts[7].split(" ")[0]);
    }

    /** POSTs {@code count} orders from {@code clients} concurrent clients; returns each one's latency in ns. */
    static long[] post(LocalStack stack, int count, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(stack.baseUrl("order-service").resolve("/orders"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(ORDER, StandardCharsets.UTF_8))
                .build();
        long[] latencies = new long[count];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int first = client;
                workers.add(pool.submit(() -> {
                    for (int i = first; i < count; i += clients) {
                        long start = System.nanoTime();
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        latencies[i] = System.nanoTime() - start;
                        assertThat(response.statusCode()).isEqualTo(202);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return latencies;
    }

    static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** The benchmark's result: printed, since printing figures is what it is for. */
    private static void report(String line) {
        System.out.println("BENCHMARK " + line);
    }
}
