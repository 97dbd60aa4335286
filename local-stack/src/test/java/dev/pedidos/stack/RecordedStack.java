package dev.pedidos.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link LocalStack} for a system test: free ports on 127.0.0.1, data in a new directory under
 * {@code target/}, every line of every process kept ({@code service | line}) and written to
 * {@code target/NAME.log} on close, for the test to search and for a person to read after a failure.
 */
final class RecordedStack implements AutoCloseable {

    private final String name;

    private final Queue<String> lines;

    private final LocalStack stack;

    private RecordedStack(String name, Queue<String> lines, LocalStack stack) {
        this.name = name;
        this.lines = lines;
        this.stack = stack;
    }

    /**
     * @param name names the data directory and the log file
     * @return the running stack
     */
    static RecordedStack start(String name) {
        return start(name, false);
    }

    /**
     * @param name   names the data directory and the log file
     * @param secure whether Kafka runs in secure mode (SASL_SSL, SCRAM, ACLs)
     * @return the running stack
     */
    static RecordedStack start(String name, boolean secure) {
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        try {
            Path data = Files.createTempDirectory(Path.of("target"), name + "-");
            try {
                return new RecordedStack(name, lines, LocalStack.start(new LocalStack.Settings(data, 0, 0, 0,
                        List.of(0, 0, 0), (process, line) -> lines.add(process + " | " + line), secure)));
            } catch (RuntimeException notStarted) {
                // What the processes printed until then is what tells why.
                Files.write(Path.of("target", name + ".log"), lines);
                throw notStarted;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the running stack */
    LocalStack stack() {
        return stack;
    }

    /** @return every line printed so far, {@code service | line}, oldest first */
    Queue<String> lines() {
        return lines;
    }

    /**
     * @param service a process name such as {@code billing-consumer}
     * @param text    what the line contains, e.g. an order ID
     * @return that process's lines containing {@code text}
     */
    List<String> linesOf(String service, String text) {
        return lines.stream().filter(line -> line.startsWith(service + " |") && line.contains(text)).toList();
    }

    /** Stops the stack and writes what it printed to {@code target/NAME.log}. */
    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            try {
                Files.write(Path.of("target", name + ".log"), lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
