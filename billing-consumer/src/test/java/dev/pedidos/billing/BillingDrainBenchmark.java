package dev.pedidos.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.infra.LocalKafkaCluster;
import dev.pedidos.infra.TopicLoader;
import dev.pedidos.infra.KafkaClusterConfiguration;
import dev.pedidos.infra.PostgresConfiguration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drain rate of the billing group (issue 3: at least 5,000 orders/s on this machine; issue 7: with
 * the {@code INVOICED} steps on). Not a test of the default build: run on demand with
 *
 * <pre>./mvnw -q -pl billing-consumer verify -Pbenchmark</pre>
 *
 * (the {@code benchmark} profile runs {@code *Benchmark} classes instead of {@code *IT}). The rate
 * is measured warm, as a running service drains: the group first drains
 * {@code pedidos.benchmark.warmup} orders (default 50,000; the JIT compiles the consumer's path
 * for tens of seconds on two cores), is paused, then {@code pedidos.benchmark.orders} (default
 * 100,000) more are loaded into the same six-partition topic of the real three-broker cluster and
 * the group is resumed. Settings are application.yml's: batch listener, max.poll.records 500,
 * concurrency 3, one transaction per poll on the real PostgreSQL, synchronous_commit on, each
 * order's {@code INVOICED} step sent to {@code pedidos-status} and awaited once per poll. It reports
 * the rate by wall clock (resume to the last invoice seen) and between the starts of the first and
 * the last transaction of the measured orders ({@code recorded_at}), the mean invoices per
 * transaction (distinct {@code xmin}; = records per poll) and this JVM's CPU per order. As a
 * reference from the same run it then times a plain {@code KafkaConsumer} (no processing) reading
 * the measured orders: the ceiling of consuming on this machine. The one INFO line per order is
 * written to {@code target/billing-drain-benchmark.log}. Other settings can be tried from the
 * command line, e.g. {@code -Dspring.kafka.consumer.max-poll-records=1000}. The result lines start
 * with {@code Drained} and {@code Reference}: in the console and in
 * {@code target/billing-drain-benchmark.txt}.
 */
@SpringBootTest(properties = {
        // Started by the benchmark once the topic is loaded, so that the drain is measured alone.
        "spring.kafka.listener.auto-startup=false",
        // The one INFO line per order still gets written, to a file as a service's log would be: through the
        // test runner's captured console it costs several times more than the consumer's own work per order.
        "logging.file.name=target/billing-drain-benchmark.log",
        "logging.threshold.console=WARN",
        "server.port=0",
        "server.address=127.0.0.1"})
@Import({KafkaClusterConfiguration.class, PostgresConfiguration.class})
class BillingDrainBenchmark {

    private static final Logger log = LoggerFactory.getLogger(BillingDrainBenchmark.class);

    private static final String TOPIC = "pedidos-benchmark-" + UUID.randomUUID();
    private static final int WARMUP = Integer.getInteger("pedidos.benchmark.warmup", 50_000);
    private static final int ORDERS = Integer.getInteger("pedidos.benchmark.orders", 100_000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private KafkaListenerEndpointRegistry registry;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private KafkaProperties kafka;

    @Autowired
    private KafkaTemplate<?, ?> template;

    @DynamicPropertySource
    static void sourceTopic(DynamicPropertyRegistry properties) {
        properties.add("pedidos.source-topic", () -> TOPIC);
    }

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get();
        }
        load(0, WARMUP);
    }

    private static String bootstrap() {
        return LocalKafkaCluster.shared().bootstrapServers();
    }

    /** Produces orders {@code first} to {@code first + count - 1} into the topic, acks=all, and waits for them. */
    private static void load(int first, int count) throws InterruptedException {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            records.add(record(order(i)));
        }
        log.info("Loaded {} orders into {} in {} ms", count, TOPIC, TopicLoader.produceAll(bootstrap(), records));
    }

    /** An order as order-service writes it: key = order ID, JSON value, event type and schema version headers. */
    private static ProducerRecord<String, byte[]> record(OrderCreated order) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, order.orderId().toString(),
                JSON.writeValueAsBytes(order));
        record.headers().add(OrderCreated.EVENT_TYPE_HEADER, OrderCreated.EVENT_TYPE.getBytes(UTF_8));
        record.headers().add(OrderCreated.SCHEMA_VERSION_HEADER, OrderCreated.SCHEMA_VERSION.getBytes(UTF_8));
        return record;
    }

    /** A typical order: two or three items, customer, BRL. */
    private static OrderCreated order(int i) {
        List<OrderItem> items = new ArrayList<>();
        items.add(new OrderItem("SKU-" + (i % 1000), "Caneca azul", 1 + i % 3, new BigDecimal("39.90")));
        items.add(new OrderItem("SKU-" + (i % 777), "Camiseta", 1, new BigDecimal("59.00")));
        if (i % 2 == 0) {
            items.add(new OrderItem("SKU-9", "Adesivo", 4, new BigDecimal("2.50")));
        }
        BigDecimal total = items.stream().map(item -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new OrderCreated(UUID.randomUUID(), UUID.randomUUID(), Instant.now(),
                new Customer("c-" + i, "Cliente " + i, "cliente" + i + "@example.com"), items, "BRL", total);
    }

    @Test
    void drainsThePreloadedTopicWarm() throws Exception {
        // given a group that drained the warm-up orders and is paused at the end of the topic
        MessageListenerContainer container = registry.getListenerContainer(BillingListener.ID);
        assertThat(container).isNotNull();
        assertThat(count()).isZero();
        container.start();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> count() >= WARMUP);
        container.pause();
        await().atMost(Duration.ofMinutes(1)).until(container::isContainerPaused);
        Map<TopicPartition, Long> measuredFrom = endOffsets();
        load(WARMUP, ORDERS);
        Timestamp resumedAt = jdbc.queryForObject("select clock_timestamp()", Timestamp.class);

        // when the group resumes
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        container.resume();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> count() >= WARMUP + ORDERS);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        // CPU of this JVM (the consumers, their producer, the test's polling; not the brokers nor PostgreSQL):
        // a figure that a loaded machine inflates far less than the rate.
        double cpuMicrosPerOrder = (processCpuNanos() - cpuStart) / 1e3 / ORDERS;
        container.stop();

        // then
        Map<String, Object> stats = jdbc.queryForMap("""
                select count(*) as invoices, count(distinct xmin::text) as transactions,
                       min(recorded_at) as first, max(recorded_at) as last
                from invoice where recorded_at >= ?""", resumedAt);
        long invoices = ((Number) stats.get("invoices")).longValue();
        long transactions = ((Number) stats.get("transactions")).longValue();
        double firstToLastSeconds = Duration.between(((Timestamp) stats.get("first")).toInstant(),
                ((Timestamp) stats.get("last")).toInstant()).toNanos() / 1e9;
        String result = String.format(Locale.ROOT,
                "Drained %d orders warm (after %d warm-up orders): %.0f orders/s by wall clock (%.2f s from resume "
                        + "to last invoice), %.0f orders/s between the starts of the first and the last transaction "
                        + "(%.2f s); %d transactions, %.1f invoices per transaction (max.poll.records %s, "
                        + "concurrency %s); %.0f µs of this JVM's CPU per order",
                invoices, WARMUP, invoices / wallSeconds, wallSeconds, invoices / firstToLastSeconds,
                firstToLastSeconds, transactions, (double) invoices / transactions,
                kafka.getConsumer().getMaxPollRecords(), kafka.getListener().getConcurrency(), cpuMicrosPerOrder);
        String producer = producerMetrics();
        String reference = referenceRead(measuredFrom);
        log.warn(result);
        log.warn(producer);
        log.warn(reference);
        Files.writeString(Path.of("target", "billing-drain-benchmark.txt"), String.join(System.lineSeparator(),
                result, producer, reference, ""));
        assertThat(invoices).isEqualTo(ORDERS);
        assertThat(count()).isEqualTo(WARMUP + ORDERS);
    }

    /** The status producer's batching since the service started (warm-up included), from its client metrics. */
    private String producerMetrics() {
        Map<String, Object> values = new TreeMap<>();
        template.metrics().forEach((name, metric) -> {
            if (name.group().equals("producer-metrics") && List.of("records-per-request-avg", "batch-size-avg",
                    "request-latency-avg", "record-queue-time-avg", "compression-rate-avg").contains(name.name())) {
                values.put(name.name(), metric.metricValue());
            }
        });
        return "Status producer (whole run): " + values;
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<byte[], byte[]> consumer = plainConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    /**
     * The reference: one plain consumer, no group, reads the measured orders as bytes (fetch and
     * iterate only, twice: the first read warms it).
     */
    private static String referenceRead(Map<TopicPartition, Long> from) {
        double rate = 0;
        for (int run = 0; run < 2; run++) {
            try (KafkaConsumer<byte[], byte[]> consumer = plainConsumer()) {
                consumer.assign(from.keySet());
                from.forEach(consumer::seek);
                long start = System.nanoTime();
                long read = 0;
                while (read < ORDERS) {
                    read += consumer.poll(Duration.ofSeconds(1)).count();
                }
                rate = read / ((System.nanoTime() - start) / 1e9);
            }
        }
        return String.format(Locale.ROOT, "Reference: a plain KafkaConsumer (no group, no processing, warm) reads "
                + "the same %d orders at %.0f records/s", ORDERS, rate);
    }

    private static KafkaConsumer<byte[], byte[]> plainConsumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private long count() {
        Long count = jdbc.queryForObject("select count(*) from invoice", Long.class);
        return count == null ? 0 : count;
    }
}
