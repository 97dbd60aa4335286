package dev.pedidos.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import sun.misc.Signal;

/**
 * Runs another main class as a child of a launcher (the local stack, a test JVM) and ties its life
 * to the launcher: it ends when the launcher is gone, even after {@code kill -9}, and it ignores the
 * terminal's Ctrl-C (SIGINT), which reaches every process of the foreground group at once, so that
 * the launcher alone decides the order of shutdown (services first, then brokers one by one).
 * SIGTERM still stops the child gracefully.
 *
 * <p>Arguments: the main class to run (e.g. {@code kafka.Kafka}), then its own arguments. The system
 * property {@value #PARENT_PID_PROPERTY} names the launcher's PID; without it this is a plain
 * pass-through.
 */
public final class ChildMain {

    /** System property holding the PID of the launcher whose exit stops this process. */
    public static final String PARENT_PID_PROPERTY = "pedidos.parent.pid";

    /** After the launcher is gone, how long a graceful shutdown may take before the JVM halts. */
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(10);

    private ChildMain() {
    }

    /**
     * Watches the launcher, then hands over to the named main class.
     *
     * @param args the main class's name, then its arguments
     * @throws Exception whatever the main method throws, or {@link ClassNotFoundException}
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ChildMain <main class> [arguments...]");
        }
        Optional<ProcessHandle> launcher = Optional.ofNullable(System.getProperty(PARENT_PID_PROPERTY))
                .map(Long::parseLong)
                .flatMap(ProcessHandle::of);
        launcher.ifPresent(parent -> {
            Signal.handle(new Signal("INT"), signal -> { });
            parent.onExit().thenRun(ChildMain::exitAsOrphan);
        });
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * The Kafka broker's runtime classpath as built by Maven: jar paths separated by the platform's
     * path separator. The jar of this class is not in it; add it.
     *
     * @return the classpath, never empty
     * @throws IllegalStateException when the resource is missing (the module was not built by Maven)
     */
    public static String brokerClasspath() {
        try (InputStream in = ChildMain.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("broker.classpath missing: build kafka-broker with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read broker.classpath", e);
        }
    }

    /**
     * Where this class is: the jar (or classes folder) to put on a child's classpath.
     *
     * @return a file system path
     * @throws IllegalStateException when the location is not a file (e.g. inside a nested jar)
     */
    public static String location() {
        try {
            return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot locate the kafka-broker jar", e);
        }
    }

    private static void exitAsOrphan() {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(ORPHAN_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        });
        System.exit(1);
    }
}
