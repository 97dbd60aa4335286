package dev.pedidos.stack;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * What secure mode costs (issue 12): the same measurements on a plaintext stack and then on a
 * secure one (SASL_SSL, SCRAM-SHA-512, ACLs), in one run on this machine, and their ratio:
 * <ol>
 * <li>{@code POST /orders} throughput and latency from concurrent clients, with both consumers
 *     stopped (order-service's producer over TLS);</li>
 * <li>billing-consumer's drain rate once started again on those orders (its consumer over TLS,
 *     its ledger unchanged).</li>
 * </ol>
 * Not a test of a target: it prints figures. Run it on demand:
 *
 * <pre>
 * ./mvnw -q install -DskipTests &amp;&amp; ./mvnw -pl local-stack verify -Dit.test=SecurityCostBenchmark
 * </pre>
 *
 * <p>System properties: {@code benchmark.orders} (default 10000), {@code benchmark.clients}
 * (concurrent HTTP clients, default 64), {@code benchmark.warmup-seconds} (POSTs not measured before the
 * measured ones, default 30). billing-consumer is restarted for its drain, so its rate is a cold
 * JVM's in both modes: the ratio compares like with like.
 */
class SecurityCostBenchmark {

    @Test
    void plaintextBesideSecure() throws Exception {
        int orders = Integer.getInteger("benchmark.orders", 10_000);
        int clients = Integer.getInteger("benchmark.clients", 64);
        int warmupSeconds = Integer.getInteger("benchmark.warmup-seconds", 30);
        Map<String, double[]> results = new LinkedHashMap<>();
        for (boolean secure : new boolean[] {false, true}) {
            String mode = secure ? "secure" : "plaintext";
            try (RecordedStack recorded = RecordedStack.start("security-cost-" + mode, secure)) {
                LocalStack stack = recorded.stack();
                stack.killService("billing-consumer");
                stack.killService("notification-consumer");
                // Warm-up, not measured: POSTs for warmupSeconds (the JIT compiles order-service's path, and TLS's).
                int warmUp = 0;
                long warmUntil = System.nanoTime() + warmupSeconds * 1_000_000_000L;
                while (System.nanoTime() < warmUntil) {
                    warmUp += PipelineBenchmark.warmUp(stack, 1_000, clients);
                }
                long started = System.nanoTime();
                long[] latencies = PipelineBenchmark.post(stack, orders, clients);
                double postRate = orders / ((System.nanoTime() - started) / 1e9);
                Arrays.sort(latencies);
                report(String.format("%-9s POST /orders     %,d orders, %d clients: %,.0f orders/s; latency ms p50 %.1f  p99 %.1f",
                        mode, orders, clients, postRate, PipelineBenchmark.ms(latencies, 0.50),
                        PipelineBenchmark.ms(latencies, 0.99)));

                int total = warmUp + orders;
                stack.restartService("billing-consumer");
                long healthy = System.nanoTime();
                int before = recorded.linesOf("billing-consumer", "Invoiced order").size();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> recorded.linesOf("billing-consumer", "Invoiced order").size() >= total);
                double drainRate = (total - before) / ((System.nanoTime() - healthy) / 1e9);
                report(String.format("%-9s billing-consumer drained %,d orders once healthy: %,.0f orders/s",
                        mode, total - before, drainRate));
                results.put(mode, new double[] {postRate, drainRate});
            }
        }
        double[] plain = results.get("plaintext");
        double[] secure = results.get("secure");
        report(String.format("secure / plaintext: POST %.2f, billing drain %.2f", secure[0] / plain[0], secure[1] / plain[1]));
    }

    /** The benchmark's result: printed, since printing figures is what it is for. */
    private static void report(String line) {
        System.out.println("BENCHMARK " + line);
    }
}
