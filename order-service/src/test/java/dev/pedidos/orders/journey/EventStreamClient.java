package dev.pedidos.orders.journey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code text/event-stream} client for tests: reads the events of one connection, as a browser
 * would, into a queue (HTML, "Interpreting an event stream": {@code id:}, {@code event:},
 * {@code data:} lines, a blank line ends an event, {@code :} lines are comments).
 */
final class EventStreamClient implements AutoCloseable {

    /**
     * One event.
     *
     * @param id   its {@code id:}
     * @param name its {@code event:}
     * @param data its {@code data:} lines joined
     */
    record Event(String id, String name, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private final HttpClient http = HttpClient.newHttpClient();

    private final Thread reader;

    private volatile Stream<String> lines;

    /**
     * Connects; the events arrive in {@link #next}.
     *
     * @param uri         the stream's URI
     * @param lastEventId sent as {@code Last-Event-ID}, or null
     */
    EventStreamClient(URI uri, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
        }
        lines = response.body();
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    name = "message";
                    data.setLength(0);
                }
                else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                }
                else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                }
                else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        }
        catch (RuntimeException closed) {
            // close() ends the stream
        }
    }

    /** @return the next event, or null when none arrived within {@code timeout} */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the next events whose data contains {@code text}, {@code count} of them, within {@code timeout} */
    List<Event> next(int count, String text, Duration timeout) throws InterruptedException {
        List<Event> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found.size() < count && System.nanoTime() < deadline) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event != null && event.data().contains(text)) {
                found.add(event);
            }
        }
        return found;
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
        http.close();
    }
}
