package dev.pedidos.groups.lag;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gauges {@code pedidos.group.lag} (records; tags {@code group}, {@code topic}, {@code partition}):
 * each configured group's committed-offset lag per partition, measured by {@link ConsumerGroupLag}
 * every {@link LagProperties#interval()} on a thread of its own, so that a scrape never waits on
 * the cluster. After a failed measurement the group's gauges read NaN rather than a stale figure.
 * In Prometheus: {@code sum by (group) (max by (group, partition) (pedidos_group_lag))}, since
 * every consumer reports every group.
 */
public class LagGauges implements MeterBinder, SmartLifecycle {

    /** The gauge's name. */
    public static final String NAME = "pedidos.group.lag";

    private static final Logger log = LoggerFactory.getLogger(LagGauges.class);

    private final ConsumerGroupLag lag;
    private final LagProperties properties;
    private final Map<String, Value> values = new ConcurrentHashMap<>();
    private @Nullable MeterRegistry registry;
    private volatile @Nullable ScheduledExecutorService scheduler;

    /**
     * @param lag        the measurement
     * @param properties which groups, which topic, how often
     */
    public LagGauges(ConsumerGroupLag lag, LagProperties properties) {
        this.lag = lag;
        this.properties = properties;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        values.values().forEach(value -> value.register(registry));
    }

    /** Measures every group once and updates the gauges; called on the schedule. */
    void refresh() {
        for (String group : properties.groups()) {
            try {
                for (ConsumerGroupLag.PartitionLag partition : lag.of(group, properties.topic())) {
                    value(group, partition.topic(), partition.partition()).lag = partition.lag();
                }
            }
            catch (RuntimeException e) {
                log.debug("Lag of group {} not measured: {}", group, e.toString());
                values.forEach((key, value) -> {
                    if (value.group.equals(group)) {
                        value.lag = Double.NaN;
                    }
                });
            }
        }
    }

    private synchronized Value value(String group, String topic, int partition) {
        return values.computeIfAbsent(group + '\0' + topic + '\0' + partition, key -> {
            Value value = new Value(group, topic, partition);
            MeterRegistry target = registry;
            if (target != null) {
                value.register(target);
            }
            return value;
        });
    }

    /** @return the last measured lag of each group, summed over partitions (NaN after a failure) */
    public Map<String, Double> totals() {
        Map<String, Double> totals = new ConcurrentHashMap<>();
        values.values().forEach(value -> totals.merge(value.group, value.lag, Double::sum));
        return totals;
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("pedidos-lag").daemon().factory());
        long period = properties.interval().toMillis();
        executor.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
        scheduler = executor;
        log.info("Measuring the lag of groups {} on {} every {} ms", List.copyOf(properties.groups()),
                properties.topic(), period);
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = scheduler;
        if (executor != null) {
            executor.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    private static final class Value {
        private final String group;
        private final String topic;
        private final int partition;
        private volatile double lag = Double.NaN;

        private Value(String group, String topic, int partition) {
            this.group = group;
            this.topic = topic;
            this.partition = partition;
        }

        private void register(MeterRegistry registry) {
            Gauge.builder(NAME, this, v -> v.lag).description("records written and not yet committed by the group")
                    .baseUnit("records").tags("group", group, "topic", topic, "partition", Integer.toString(partition))
                    .register(registry);
        }
    }
}
