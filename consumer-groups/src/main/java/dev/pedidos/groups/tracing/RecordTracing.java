package dev.pedidos.groups.tracing;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Runs a piece of code in the trace of one Kafka record, for what Spring Kafka's listener
 * observation does not cover: the records of a batch listener (the container observes each record
 * of a poll before it calls the listener, not while the listener works on it), the error handler's
 * recoverer.
 *
 * <p>For each call it reads the record's W3C {@code traceparent} header (W3C Trace Context,
 * https://www.w3.org/TR/trace-context/) with Micrometer's {@link Propagator}, starts a child span of
 * kind {@code CONSUMER} named {@code process <topic>} (OpenTelemetry messaging semantic conventions),
 * puts it in scope and the MDC keys {@value #TRACE_ID} and {@value #SPAN_ID} (those that Boot's
 * {@code %correlationId} log pattern prints), runs the code, then ends the span and restores the
 * MDC as it was. A record without a {@code traceparent} gets a span of a new trace. Usage in a
 * batch listener:
 * <pre>{@code
 * for (ConsumerRecord<String, OrderCreated> record : records) {
 *     tracing.run(record, () -> log.info("Invoiced order {} ...", ...)); // the line carries the trace ID
 * }
 * }</pre>
 * A span is short (microseconds): it covers the code run, not an asynchronous send it starts. Thread
 * safe; nothing is shared between calls.
 */
public class RecordTracing {

    /** MDC key of the current trace ID (32 lowercase hex digits), as Micrometer Tracing names it. */
    public static final String TRACE_ID = "traceId";

    /** MDC key of the current span ID (16 lowercase hex digits). */
    public static final String SPAN_ID = "spanId";

    private static final Propagator.Getter<Headers> HEADERS = (headers, name) -> {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    };

    private final Tracer tracer;
    private final Propagator propagator;

    /**
     * @param tracer     the application's tracer (Boot's, with the OpenTelemetry bridge)
     * @param propagator reads the W3C {@code traceparent} (Boot's default propagation type)
     */
    public RecordTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** @return an instance that records nothing and leaves the MDC alone, for unit tests and services without a tracer */
    public static RecordTracing noop() {
        return new RecordTracing(Tracer.NOOP, Propagator.NOOP);
    }

    /**
     * Runs {@code work} in a child span of the record's trace.
     *
     * @param record the record the work is about
     * @param work   what to run; an exception it throws is recorded on the span and rethrown
     */
    public void run(ConsumerRecord<?, ?> record, Runnable work) {
        call(record, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} in a child span of the record's trace and returns its result.
     *
     * @param record the record the work is about
     * @param work   what to run; an exception it throws is recorded on the span and rethrown
     * @param <T>    the result's type
     * @return what {@code work} returned
     */
    public <T> T call(ConsumerRecord<?, ?> record, Supplier<T> work) {
        Span span = propagator.extract(record.headers(), HEADERS)
                .name("process " + record.topic())
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", record.topic())
                .tag("messaging.destination.partition.id", Integer.toString(record.partition()))
                .tag("messaging.kafka.offset", Long.toString(record.offset()))
                .start();
        String previousTraceId = MDC.get(TRACE_ID);
        String previousSpanId = MDC.get(SPAN_ID);
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            String traceId = span.context().traceId();
            if (traceId != null && !traceId.isEmpty()) {
                MDC.put(TRACE_ID, traceId);
                MDC.put(SPAN_ID, span.context().spanId());
            }
            return work.get();
        }
        catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        }
        finally {
            span.end();
            restore(TRACE_ID, previousTraceId);
            restore(SPAN_ID, previousSpanId);
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, previous);
        }
    }
}
