package dev.pedidos.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Free ports and scratch directories for servers started on this machine. */
public final class Ports {

    private Ports() {
    }

    /** Lowest port handed out: above the usual registered services (PostgreSQL 5432, Kafka 9092, SMTP 1025...). */
    static final int LOWEST = 20_000;

    /** Linux's default start of the ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}). */
    static final int DEFAULT_EPHEMERAL_START = 32_768;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** Ports this JVM handed out already: never handed out twice, even once released. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port for a server to listen on, on 127.0.0.1.
     *
     * <p>Taken at random below the ephemeral range, where the kernel picks the local ports of
     * outgoing connections and of {@code new ServerSocket(0)}: a port found free there could be
     * taken by any client socket (a Kafka client's, a JDBC pool's) before our server binds it, and
     * the server would fail with "Address already in use". Below it, only another server choosing
     * the same number could; each candidate is bound once to check it is free.
     *
     * @return a port on 127.0.0.1 that was free a moment ago, from {@value #LOWEST} up to the start
     *         of the ephemeral range (exclusive), never one this JVM returned before
     * @throws UncheckedIOException when no free port was found in 1,000 tries
     */
    public static int free() {
        int end = ephemeralStart();
        if (end - LOWEST < 1_000) {
            return anyFree(); // an unusual range, with no room below it: the kernel's choice
        }
        IOException last = null;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new UncheckedIOException("No free port on 127.0.0.1 between " + LOWEST + " and " + end, last);
    }

    /** @return the first port of the ephemeral range, {@value #DEFAULT_EPHEMERAL_START} where it cannot be read */
    static int ephemeralStart() {
        try {
            // (readAllLines, not readString: a /proc file has size 0, and readString then returned its first byte only)
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).getFirst().trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_START; // not Linux (macOS starts at 49152, above it)
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    /**
     * @param prefix start of the directory's name
     * @return a new directory under {@code target/} when the working directory has one, else under
     *         the system's temporary directory
     */
    static Path newTemporaryDirectory(String prefix) throws IOException {
        Path target = Path.of("target");
        return Files.isDirectory(target)
                ? Files.createTempDirectory(target.toAbsolutePath(), prefix)
                : Files.createTempDirectory(prefix);
    }

    /** Deletes a directory tree, as far as it can. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: what remains is in a scratch directory
        }
    }
}
