package dev.pedidos.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * A child process whose merged stdout and stderr are handed, line by line, to a sink together with
 * the process's name, and which can be stopped gracefully or killed.
 *
 * <p>Stopping sends SIGTERM, waits, then SIGKILLs what is still running, descendants included.
 */
public final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Thread pump;

    private ManagedProcess(String name, Process process, Thread pump) {
        this.name = name;
        this.process = process;
        this.pump = pump;
    }

    /**
     * Starts a process.
     *
     * @param name    short name handed to {@code output} with every line, e.g. {@code kafka-1}
     * @param command the command line
     * @param output  receives (name, line) for every line the process prints; called from one thread
     * @return the running process
     * @throws UncheckedIOException when the process cannot be started
     */
    public static ManagedProcess start(String name, List<String> command, BiConsumer<String, String> output) {
        return start(name, command, Map.of(), output);
    }

    /**
     * Starts a process with variables added to this process's environment (kept off the command line,
     * which {@code ps} shows to every user).
     *
     * @param name        short name handed to {@code output} with every line
     * @param command     the command line
     * @param environment variables to add
     * @param output      receives (name, line) for every line the process prints; called from one thread
     * @return the running process
     * @throws UncheckedIOException when the process cannot be started
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
            BiConsumer<String, String> output) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command.getFirst(), e);
        }
        Thread pump = Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(line -> output.accept(name, line));
            } catch (IOException | UncheckedIOException e) {
                // the process went away while we read: nothing more to pump
            }
        });
        return new ManagedProcess(name, process, pump);
    }

    /** @return the name given at start */
    public String name() {
        return name;
    }

    /** @return the operating system's process ID */
    public long pid() {
        return process.pid();
    }

    /**
     * Runs an action when the process ends, however it ends.
     *
     * @param action receives the exit code (128 + the signal's number for a process a signal ended:
     *               137 after SIGKILL, 143 after SIGTERM)
     */
    public void onExit(IntConsumer action) {
        process.onExit().thenAccept(ended -> action.accept(ended.exitValue()));
    }

    /**
     * @param code an exit code of {@link #onExit}
     * @return how a person reads it: {@code exit code 137 (SIGKILL)}
     */
    public static String describeExit(int code) {
        String signal = switch (code) {
            case 130 -> " (SIGINT)";
            case 134 -> " (SIGABRT)";
            case 137 -> " (SIGKILL)";
            case 143 -> " (SIGTERM)";
            default -> "";
        };
        return "exit code " + code + signal;
    }

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the process to end by itself; after {@code timeout} it is killed.
     *
     * @param timeout how long to wait
     * @return the exit code, or -1 when it had to be killed
     */
    public int awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                pump.join(Duration.ofSeconds(2));
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return -1;
    }

    /**
     * Sends SIGTERM and waits for the process to exit; after {@code grace} it is killed.
     *
     * @param grace how long the process may take to shut down cleanly
     */
    public void stop(Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
            pump.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGKILL to the process and its descendants and waits until it is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
