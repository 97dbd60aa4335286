package dev.pedidos.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Runs one Kafka node ({@code kafka.Kafka}, KRaft) in this JVM and ends it when the process that
 * started it is gone, so that a launcher or test JVM killed with {@code kill -9} leaves no broker
 * behind.
 *
 * <p>Arguments are those of {@code kafka.Kafka}: the path of a {@code server.properties}. The system
 * property {@value #PARENT_PID_PROPERTY} names the process to watch (absent: watch nothing). When
 * it exits, this node shuts down through Kafka's own shutdown hook, as on SIGTERM.
 */
public final class BrokerMain {

    /** System property holding the PID of the process whose exit stops this broker. */
    public static final String PARENT_PID_PROPERTY = "pedidos.parent.pid";

    private BrokerMain() {
    }

    /**
     * Watches the parent process, then hands over to {@code kafka.Kafka.main}.
     *
     * @param args the arguments of {@code kafka.Kafka}: the path of the node's properties file
     */
    public static void main(String[] args) {
        Optional.ofNullable(System.getProperty(PARENT_PID_PROPERTY))
                .map(Long::parseLong)
                .flatMap(ProcessHandle::of)
                .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        kafka.Kafka.main(args);
    }

    /**
     * The broker's runtime classpath as built by Maven: jar paths separated by the platform's path
     * separator. The jar of this class is not in it; add it.
     *
     * @return the classpath, never empty
     * @throws IllegalStateException when the resource is missing (the module was not built by Maven)
     */
    public static String dependencyClasspath() {
        try (InputStream in = BrokerMain.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("broker.classpath missing: build kafka-broker with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read broker.classpath", e);
        }
    }
}
