package dev.pedidos.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Free ports and scratch directories for servers started on this machine. */
public final class Ports {

    private Ports() {
    }

    /**
     * @return a port on 127.0.0.1 that was free a moment ago
     * @throws UncheckedIOException when none can be had
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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
