package dev.pedidos.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The one source of the brokers' settings: {@code broker.properties} (every mode) and
 * {@code broker-secure.properties} (secure mode), resources of this package. Every runner of a
 * cluster reads them from here ({@link LocalKafkaCluster}, {@link ContainerKafkaCluster}), and
 * {@code ComposeDriftTest} checks {@code docker-compose.yml} and {@code compose.secure.yml} against
 * them, so the copies cannot drift apart again.
 */
public final class BrokerSettings {

    private BrokerSettings() {
    }

    /**
     * @return the settings of every broker of a three-node cluster, e.g.
     *         {@code min.insync.replicas=2}, in the file's order
     */
    public static Map<String, String> common() {
        return read("broker.properties");
    }

    /**
     * @return the settings added in secure mode (SASL mechanisms, authorizer, super users, store
     *         types); no secret and no path, which each runner adds
     */
    public static Map<String, String> secure() {
        return read("broker-secure.properties");
    }

    /**
     * The name of a setting as an environment variable of the {@code apache/kafka} image, whose
     * start script turns {@code KAFKA_MIN_INSYNC_REPLICAS} into {@code min.insync.replicas}
     * ({@code _} for a dot, {@code __} for a dash, {@code ___} for an underscore).
     *
     * @param key a broker setting, e.g. {@code min.insync.replicas}
     * @return e.g. {@code KAFKA_MIN_INSYNC_REPLICAS}
     */
    public static String environmentName(String key) {
        return "KAFKA_" + key.replace("_", "___").replace("-", "__").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * @param settings broker settings
     * @return the same as {@code apache/kafka} environment variables
     */
    public static Map<String, String> asEnvironment(Map<String, String> settings) {
        Map<String, String> environment = new LinkedHashMap<>();
        settings.forEach((key, value) -> environment.put(environmentName(key), value));
        return environment;
    }

    private static Map<String, String> read(String resource) {
        // A Properties subclass that keeps the file's order, for readable generated files.
        Map<String, String> ordered = new LinkedHashMap<>();
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.put((String) key, (String) value);
                return super.put(key, value);
            }
        };
        try (InputStream in = BrokerSettings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from dev-infra");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
        return ordered;
    }
}
