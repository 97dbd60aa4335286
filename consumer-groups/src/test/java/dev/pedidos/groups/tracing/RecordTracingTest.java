package dev.pedidos.groups.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/** {@link RecordTracing} on a real tracer: the OpenTelemetry SDK through Micrometer's bridge, W3C propagation. */
class RecordTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    private final List<SpanData> ended = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new Collect(ended)).build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final RecordTracing tracing = new RecordTracing(
            new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {
            }),
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));

    @AfterEach
    void close() {
        provider.close();
        MDC.clear();
    }

    private static ConsumerRecord<String, String> record(String traceparent) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("pedidos-pendentes", 4, 42, "key", "value");
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(UTF_8));
        }
        return record;
    }

    @Test
    void codeRunsInAChildSpanOfTheRecordsTraceWithItsIdsInTheMdc() {
        // given a record of a sampled trace
        ConsumerRecord<String, String> record = record("00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01");

        // when
        String[] seen = tracing.call(record, () -> new String[] {MDC.get("traceId"), MDC.get("spanId")});

        // then the code saw the record's trace ID and a span of its own
        assertThat(seen[0]).isEqualTo(TRACE_ID);
        assertThat(seen[1]).hasSize(16).isNotEqualTo(PARENT_SPAN_ID);
        // and that span, a consumer span under the record's, was ended
        assertThat(ended).singleElement().satisfies(span -> {
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getSpanId()).isEqualTo(seen[1]);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getName()).isEqualTo("process pedidos-pendentes");
        });
        // and the MDC is as it was
        assertThat(MDC.get("traceId")).isNull();
        assertThat(MDC.get("spanId")).isNull();
    }

    @Test
    void recordWithoutTraceparentStartsATrace() {
        // when
        String traceId = tracing.call(record(null), () -> MDC.get("traceId"));

        // then
        assertThat(traceId).hasSize(32).isNotEqualTo("0".repeat(32));
        assertThat(ended).singleElement().satisfies(span -> assertThat(span.getTraceId()).isEqualTo(traceId));
    }

    @Test
    void mdcOfAnEnclosingTraceIsRestoredAndAFailureIsRecorded() {
        // given the MDC of some enclosing work
        MDC.put("traceId", "enclosing-trace");
        MDC.put("spanId", "enclosing-span");

        // when the code fails
        assertThatThrownBy(() -> tracing.run(record("00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"), () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        // then
        assertThat(MDC.get("traceId")).isEqualTo("enclosing-trace");
        assertThat(MDC.get("spanId")).isEqualTo("enclosing-span");
        assertThat(ended).singleElement().satisfies(span -> assertThat(span.getStatus().getStatusCode())
                .isEqualTo(StatusCode.ERROR));
    }

    @Test
    void noopRunsTheCodeAndLeavesTheMdcAlone() {
        // when
        String traceId = RecordTracing.noop().call(record("00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"),
                () -> MDC.get("traceId"));

        // then
        assertThat(traceId).isNull();
    }

    /** Keeps the spans that ended. */
    private record Collect(List<SpanData> ended) implements SpanProcessor {

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ended.add(span.toSpanData());
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }
}
