package dev.pedidos.stack;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

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
 *     idempotent, the record size of an order, a topic laid out like {@code pedidos-pendentes};
 *     run twice, beside each of the next two figures;</li>
 * <li>{@code POST /orders} (HTTP, validation, JSON, acks=all, idempotent producer) from concurrent
 *     clients, throughput and latency percentiles, with both consumers stopped so that, like the
 *     producer tool, it has the brokers and the cores to itself: first cold (a JVM that has served
 *     only a short warm-up), then warm (after {@code benchmark.warmup.seconds} of POSTs);</li>
 * <li>the consumers started again: how fast each group catches up on those orders (billing:
 *     invoice ledger; notification: e-mails over SMTP and sent-log rows, a poll at a time);</li>
 * <li>a paced run: {@code benchmark.paced.rate} orders/s for {@code benchmark.paced.seconds}, each
 *     POST started at its scheduled time (open loop, so a slow answer does not delay the next
 *     order), and the percentiles of three latencies from that send time: the {@code 202}, the
 *     invoice recorded (billing's {@code recorded_at}) and the e-mail accepted by the SMTP server
 *     (notification's {@code sent_at});</li>
 * <li>restart latency: each consumer killed (SIGKILL) and started again at once, and the seconds
 *     from healthy until its group's partitions are held by the new process, and until it has
 *     processed an order POSTed while it was down.</li>
 * </ol>
 * Not a test of a target: it prints figures. Failsafe's default patterns do not match it; run it
 * on demand (the reactor builds the service jars it runs):
 *
 * <pre>
 * ./mvnw -pl local-stack -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PipelineBenchmark -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>System properties: {@code benchmark.orders} (default 20000), {@code benchmark.clients}
 * (concurrent HTTP clients, default 64), {@code benchmark.warmup.seconds} (default 30),
 * {@code benchmark.paced.rate} (default 300), {@code benchmark.paced.seconds} (default 30).
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
        Duration warmUpTime = Duration.ofSeconds(Integer.getInteger("benchmark.warmup.seconds", 30));
        int pacedRate = Integer.getInteger("benchmark.paced.rate", 300);
        Duration pacedTime = Duration.ofSeconds(Integer.getInteger("benchmark.paced.seconds", 30));
        try (RecordedStack recorded = RecordedStack.start("benchmark")) {
            LocalStack stack = recorded.stack();
            stack.killService("billing-consumer");
            stack.killService("notification-consumer");

            // cold: a short warm-up, then the measured orders
            Map<String, String> rawCold = rawProducer(stack.bootstrapServers(), "benchmark-raw-cold", orders);
            int warmUp = Math.min(2_000, orders / 5);
            int total = warmUp(stack, warmUp, clients);
            long started = System.nanoTime();
            long[] cold = post(stack, orders, clients);
            double coldSeconds = (System.nanoTime() - started) / 1e9;
            total += orders;
            reportPosts("cold", orders, clients, cold, coldSeconds, rawCold);

            // warm: POSTs for the warm-up time, then the measured orders
            long warmUntil = System.nanoTime() + warmUpTime.toNanos();
            int warmedWith = 0;
            while (System.nanoTime() < warmUntil) {
                warmedWith += warmUp(stack, clients * 50, clients);
            }
            total += warmedWith;
            report(String.format(Locale.ROOT, "warm-up          %,d orders in %d s", warmedWith, warmUpTime.toSeconds()));
            Map<String, String> rawWarm = rawProducer(stack.bootstrapServers(), "benchmark-raw-warm", orders);
            started = System.nanoTime();
            long[] warm = post(stack, orders, clients);
            double warmSeconds = (System.nanoTime() - started) / 1e9;
            total += orders;
            reportPosts("warm", orders, clients, warm, warmSeconds, rawWarm);

            for (String consumer : List.of("billing-consumer", "notification-consumer")) {
                stack.restartService(consumer);
                // Timed from when the service's group holds its partitions; what it processed before is not counted.
                long ready = System.nanoTime();
                String processed = processedLine(consumer);
                int before = recorded.linesOf(consumer, processed).size();
                int all = total;
                await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> recorded.linesOf(consumer, processed).size() >= all);
                double caughtUp = (System.nanoTime() - ready) / 1e9;
                report(String.format(Locale.ROOT, "%-16s caught up on %,d orders in %.1f s once ready: %,.0f orders/s",
                        consumer, total, caughtUp, (total - before) / caughtUp));
            }

            paced(stack, pacedRate, pacedTime);

            for (String consumer : List.of("billing-consumer", "notification-consumer")) {
                restart(recorded, consumer);
            }
        }
    }

    private static String processedLine(String consumer) {
        return consumer.equals("billing-consumer") ? "Invoiced order" : "E-mailed order";
    }

    private static void reportPosts(String label, int orders, int clients, long[] latencies, double seconds,
            Map<String, String> raw) {
        Arrays.sort(latencies);
        report(String.format(Locale.ROOT, "POST /orders %-4s %,d orders, %d clients: %,.0f orders/s; latency ms p50 %.1f  p95 %.1f  p99 %.1f  p99.9 %.1f  max %.1f",
                label, orders, clients, orders / seconds, ms(latencies, 0.50), ms(latencies, 0.95), ms(latencies, 0.99),
                ms(latencies, 0.999), latencies[latencies.length - 1] / 1e6));
        report(String.format("producer tool    %s records of %d B, acks=all, idempotent: %s records/s; latency ms p50 %s  p95 %s  p99 %s  p99.9 %s  max %s",
                raw.get("records"), RECORD_BYTES, raw.get("rate"), raw.get("p50"), raw.get("p95"), raw.get("p99"),
                raw.get("p999"), raw.get("max")));
    }

    /**
     * POSTs {@code rate} orders per second for {@code duration}, each at its scheduled time, and
     * prints the percentiles of POST, invoice and e-mail latency from that time.
     */
    private static void paced(LocalStack stack, int rate, Duration duration) throws Exception {
        int count = (int) (rate * duration.toSeconds());
        long period = 1_000_000_000L / rate;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(stack.baseUrl("order-service").resolve("/orders"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(ORDER, StandardCharsets.UTF_8))
                .build();
        long[] post = new long[count];
        UUID[] orderIds = new UUID[count];
        long startNanos = System.nanoTime() + 100_000_000L;
        Instant startWall = Instant.now().plusNanos(startNanos - System.nanoTime());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long due = startNanos + i * period;
                LockSupport.parkNanos(due - System.nanoTime());
                int index = i;
                sent.add(pool.submit(() -> {
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    post[index] = System.nanoTime() - due;
                    assertThat(response.statusCode()).isEqualTo(202);
                    String location = response.headers().firstValue("Location").orElseThrow();
                    orderIds[index] = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
                    return null;
                }));
            }
            for (Future<?> one : sent) {
                one.get();
            }
        }
        Map<UUID, Instant> invoiced = awaitTimes(stack, "billing", "select order_id, recorded_at from invoice "
                + "where order_id = any(?)", orderIds);
        Map<UUID, Instant> emailed = awaitTimes(stack, "notification", "select order_id, sent_at from sent_notification "
                + "where order_id = any(?)", orderIds);
        long[] invoice = new long[count];
        long[] email = new long[count];
        for (int i = 0; i < count; i++) {
            Instant sentAt = startWall.plusNanos(i * period);
            invoice[i] = Duration.between(sentAt, invoiced.get(orderIds[i])).toNanos();
            email[i] = Duration.between(sentAt, emailed.get(orderIds[i])).toNanos();
        }
        String what = String.format(Locale.ROOT, "paced %d orders/s for %d s (%,d orders), latency from the send time,",
                rate, duration.toSeconds(), count);
        report(what + " POST → 202:              " + percentiles(post));
        report(what + " POST → invoice recorded: " + percentiles(invoice));
        report(what + " POST → e-mail sent:      " + percentiles(email));
    }

    /** Waits until the query finds every order, and returns each one's time (second column). */
    private static Map<UUID, Instant> awaitTimes(LocalStack stack, String database, String query, UUID[] orderIds) {
        Map<UUID, Instant> times = new HashMap<>();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl(database), database, database);
                    PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setArray(1, connection.createArrayOf("uuid", orderIds));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        times.put(rows.getObject(1, UUID.class), rows.getObject(2, OffsetDateTime.class).toInstant());
                    }
                }
            }
            return times.size() == new HashSet<>(Arrays.asList(orderIds)).size();
        });
        return times;
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "ms p50 %.1f  p95 %.1f  p99 %.1f  p99.9 %.1f  max %.1f", ms(sorted, 0.50),
                ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 0.999), sorted[sorted.length - 1] / 1e6);
    }

    /**
     * Kills a consumer, POSTs an order while it is down, starts it again at once, and prints the
     * seconds from healthy until its group holds its partitions and until the order is processed.
     */
    private static void restart(RecordedStack recorded, String consumer) throws Exception {
        LocalStack stack = recorded.stack();
        stack.killService(consumer);
        long[] one = new long[1];
        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                stack.baseUrl("order-service").resolve("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.discarding());
        String location = response.headers().firstValue("Location").orElseThrow();
        String orderId = location.substring(location.lastIndexOf('/') + 1);
        double assigned = stack.restartService(consumer);
        long ready = System.nanoTime();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> !recorded.linesOf(consumer, processedLine(consumer).replace(" order", " order " + orderId)).isEmpty());
        one[0] = System.nanoTime() - ready;
        report(String.format(Locale.ROOT, "%-16s killed and started again: partitions held %.1f s after healthy, "
                + "the order POSTed meanwhile processed %.1f s after that", consumer, assigned, one[0] / 1e9));
    }

    /** Runs kafka-producer-perf-test against a topic laid out like pedidos-pendentes; returns its summary. */
    private static Map<String, String> rawProducer(String bootstrapServers, String topic, int records) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        List<String> output = new ArrayList<>();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", ChildMain.location() + File.pathSeparator + ChildMain.brokerClasspath(),
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic,
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
        return post(stack, count, clients, false);
    }

    /**
     * POSTs {@code count} orders to warm the stack up: a cold stack may answer {@code 503} (Kafka did
     * not acknowledge within 7 s) or time out while the JIT compiles; a client would retry those.
     *
     * @return how many were answered {@code 202}, hence surely recorded (a {@code 503} order may be too)
     */
    static int warmUp(LocalStack stack, int count, int clients) throws Exception {
        return (int) Arrays.stream(post(stack, count, clients, true)).filter(latency -> latency >= 0).count();
    }

    /** @param tolerant whether an answer other than 202 (latency -1) or a timeout is allowed, else it fails */
    private static long[] post(LocalStack stack, int count, int clients, boolean tolerant) throws Exception {
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
                        int status;
                        try {
                            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        }
                        catch (HttpTimeoutException e) {
                            if (!tolerant) {
                                throw e;
                            }
                            status = -1;
                        }
                        latencies[i] = System.nanoTime() - start;
                        if (tolerant && status != 202) {
                            latencies[i] = -1;
                            continue;
                        }
                        assertThat(status).isEqualTo(202);
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
