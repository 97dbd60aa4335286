package dev.pedidos.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/** Waits until given nodes of a cluster serve as brokers, as the cluster's metadata says. */
final class BrokerReadiness {

    /**
     * How long nodes may take to serve, whatever runs them: 120 s, or the system property
     * {@code pedidos.brokers.ready-seconds} on a machine too loaded for that.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("pedidos.brokers.ready-seconds", 120));

    private BrokerReadiness() {
    }

    /**
     * @param bootstrapServers the cluster
     * @param security         client settings to connect with (secure mode's), or none
     * @param expected         node IDs that must serve
     * @param failure          called at every attempt; throws when waiting is pointless (a node died)
     * @return the IDs of the serving brokers, a superset of {@code expected}
     * @throws IllegalStateException when they do not serve within {@link #TIMEOUT}
     */
    static Set<Integer> await(String bootstrapServers, Map<String, Object> security, Set<Integer> expected,
            Runnable failure) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                failure.run();
                Set<Integer> serving = serving(admin);
                if (serving.containsAll(expected)) {
                    return serving;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Brokers " + expected + " not ready after " + TIMEOUT
                            + " (serving: " + serving + ") at " + bootstrapServers);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for brokers " + expected, e);
        }
    }

    private static Set<Integer> serving(Admin admin) throws InterruptedException {
        try {
            return admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toSet());
        } catch (ExecutionException e) {
            return Set.of();
        }
    }
}
