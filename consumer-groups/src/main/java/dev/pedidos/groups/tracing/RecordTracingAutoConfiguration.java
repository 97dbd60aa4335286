package dev.pedidos.groups.tracing;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * One {@link RecordTracing} for every service that has this module, on Boot's {@link Tracer} and
 * {@link Propagator} (Micrometer Tracing with the OpenTelemetry bridge, W3C propagation); without
 * them (no tracing on the classpath, or {@code management.tracing.enabled=false}) it records nothing.
 */
@AutoConfiguration
public class RecordTracingAutoConfiguration {

    /**
     * @param tracer     Boot's tracer, if any
     * @param propagator Boot's propagator, if any
     * @return the piece that runs code in the trace of one record
     */
    @Bean
    RecordTracing recordTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new RecordTracing(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }
}
