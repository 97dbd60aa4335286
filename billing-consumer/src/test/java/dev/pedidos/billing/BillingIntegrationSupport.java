package dev.pedidos.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.infra.KafkaCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every integration test of billing shares: the Spring test context (same annotations and
 * properties everywhere, so that a single listener of group {@code billing} runs per infrastructure)
 * on a real three-broker cluster and a real PostgreSQL server, with order-service replaced by a plain
 * producer; and the helpers to produce orders and read the ledger, the dead-letter topic and the log.
 * The tests are written once, in {@code *Contract} classes; an {@code *IT} subclass runs them on
 * broker processes and embedded PostgreSQL, a {@code *ContainersIT} subclass on Docker containers.
 *
 * <p>The cluster, the database and the context are shared by the test classes: each test uses its
 * own order IDs and asserts on them alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Tests bind to the loopback interface only.
        "server.address=127.0.0.1",
        // Short back-off so that a processing failure is dead-lettered within a second.
        "pedidos.retry.initial-interval=100ms",
        "pedidos.retry.max-retries=2",
        // A stopped database shows within a second (Hikari's minimum is 250 ms), retried every half second.
        "spring.datasource.hikari.connection-timeout=1000",
        "pedidos.retry.database-unavailable-interval=500ms",
        // The admin operations' user (replay, rewind); the services have no default password.
        "pedidos.admin.password=" + BillingIntegrationSupport.ADMIN_PASSWORD,
        // Lag measured often, so that a test sees it move within a second.
        "pedidos.lag.interval=500ms"})
@Import({BillingIntegrationSupport.SourceTopic.class, FailureSwitch.class})
@ExtendWith(OutputCaptureExtension.class)
abstract class BillingIntegrationSupport {

    static final String SOURCE = "pedidos-pendentes";
    static final String DEAD_LETTERS = "pedidos-pendentes-billing-dlt";
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String STATUS = "pedidos-status";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    InvoiceLedger ledger;

    @Autowired
    KafkaCluster cluster;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    KafkaProducer<String, byte[]> producer;

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * order-service declares the source topic and is not running here: the test declares it the same
     * way, so that Boot's KafkaAdmin creates it on whichever cluster the context uses, before the
     * listener starts.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class SourceTopic {

        @Bean
        NewTopic pedidosPendentes() {
            return TopicBuilder.name(SOURCE).partitions(6).replicas(3).config("min.insync.replicas", "2").build();
        }
    }

    @BeforeEach
    void openProducer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    static OrderCreated order(UUID orderId, String sku, int quantity) {
        BigDecimal unitPrice = new BigDecimal("19.90");
        return new OrderCreated(UUID.randomUUID(), orderId, Instant.now(), new Customer("c-1", "Ana Souza", "ana@example.com"),
                List.of(new OrderItem(sku, "Caneca", quantity, unitPrice)), "BRL",
                unitPrice.multiply(BigDecimal.valueOf(quantity)));
    }

    static List<OrderCreated> orders(int count) {
        List<OrderCreated> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            orders.add(order(UUID.randomUUID(), "SKU-" + i, 1 + i % 4));
        }
        return orders;
    }

    /** The event as order-service writes it, plus a field this version does not know (must be ignored). */
    static byte[] json(OrderCreated order) {
        ObjectNode node = JSON.valueToTree(order);
        node.put("couponCode", "BEMVINDO10");
        return JSON.writeValueAsBytes(node);
    }

    static ProducerRecord<String, byte[]> record(OrderCreated order) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(SOURCE, order.orderId().toString(), json(order));
        record.headers().add(OrderCreated.EVENT_TYPE_HEADER, OrderCreated.EVENT_TYPE.getBytes(UTF_8));
        record.headers().add(OrderCreated.SCHEMA_VERSION_HEADER, OrderCreated.SCHEMA_VERSION.getBytes(UTF_8));
        return record;
    }

    RecordMetadata send(OrderCreated order) {
        return send(record(order));
    }

    RecordMetadata send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get();
        }
        catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("could not produce " + record, e);
        }
    }

    /** Produces without waiting for each acknowledgement, then waits for all of them. */
    List<RecordMetadata> sendAll(List<OrderCreated> orders) {
        var sent = orders.stream().map(order -> producer.send(record(order))).toList();
        return sent.stream().map(future -> {
            try {
                return future.get();
            }
            catch (InterruptedException | ExecutionException e) {
                throw new AssertionError("could not produce", e);
            }
        }).toList();
    }

    /** @return invoice rows per order ID among these (the ledger's UNIQUE makes more than one impossible) */
    Map<UUID, Integer> invoiceRows(Collection<UUID> orderIds) {
        Map<UUID, Integer> rows = new HashMap<>();
        jdbc.query(connection -> {
            PreparedStatement select = connection.prepareStatement(
                    "select order_id, count(*) from invoice where order_id = any(?) group by order_id");
            select.setArray(1, connection.createArrayOf("uuid", orderIds.toArray()));
            return select;
        }, (RowCallbackHandler) row -> rows.put(row.getObject(1, UUID.class), row.getInt(2)));
        return rows;
    }

    /** @return the keys of every record now in the dead-letter topic */
    List<String> deadLetterKeys() {
        List<String> keys = new ArrayList<>();
        readDeadLetters(record -> keys.add(record.key()), () -> false);
        return keys;
    }

    /** Reads the dead-letter topic from the beginning until the record with this key shows up. */
    ConsumerRecord<String, byte[]> deadLetter(String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            readDeadLetters(record -> {
                if (key.equals(record.key())) {
                    found.add(record);
                }
            }, () -> !found.isEmpty());
            assertThat(found).isNotEmpty();
        });
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    /** Reads the dead-letter topic from its beginning to its current end, or until {@code done}. */
    private void readDeadLetters(Consumer<ConsumerRecord<String, byte[]>> each, BooleanSupplier done) {
        read(DEAD_LETTERS, each, done);
    }

    /**
     * Waits until the status topic holds at least {@code count} steps of this order and stage.
     *
     * @return the status records of those steps, in the order of the topic's partition (one per order)
     */
    List<ConsumerRecord<String, byte[]>> steps(UUID orderId, OrderStatusChanged.Stage stage, int count) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            read(STATUS, record -> {
                if (orderId.toString().equals(record.key()) && step(record).stage() == stage) {
                    found.add(record);
                }
            }, () -> false);
            assertThat(found).hasSizeGreaterThanOrEqualTo(count);
        });
        return List.copyOf(found);
    }

    static OrderStatusChanged step(ConsumerRecord<String, byte[]> record) {
        return JSON.readValue(record.value(), OrderStatusChanged.class);
    }

    /** @return the record at this position of a topic */
    ConsumerRecord<String, byte[]> recordAt(String topic, int partition, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition position = new TopicPartition(topic, partition);
            consumer.assign(List.of(position));
            consumer.seek(position, offset);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return !found.isEmpty();
            });
            assertThat(found.getFirst().offset()).isEqualTo(offset);
            return found.getFirst();
        }
    }

    /** A W3C traceparent of a new sampled trace, as order-service's tracer writes it. */
    static String traceparent() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String spanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return "00-" + traceId + "-" + spanId + "-01";
    }

    /** @return the trace ID (32 hex digits) of a traceparent */
    static String traceId(String traceparent) {
        return traceparent.split("-")[1];
    }

    /** Reads a topic from its beginning to its current end, or until {@code done}. */
    private void read(String topic, Consumer<ConsumerRecord<String, byte[]>> each, BooleanSupplier done) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
                return done.getAsBoolean() || partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
    }

    static byte[] bytes(ConsumerRecord<?, ?> record, String header) {
        Header found = record.headers().lastHeader(header);
        assertThat(found).as("header %s", header).isNotNull();
        return found.value();
    }

    static String text(ConsumerRecord<?, ?> record, String header) {
        return new String(bytes(record, header), UTF_8);
    }

    static List<String> linesWith(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).toList();
    }

    /** GET on this service's HTTP port. */
    HttpResponse<String> get(String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
