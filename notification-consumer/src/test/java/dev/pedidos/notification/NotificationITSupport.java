package dev.pedidos.notification;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

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
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.infra.KafkaCluster;
import dev.pedidos.infra.PostgresServer;
import dev.pedidos.infra.SmtpServer;
import dev.pedidos.infra.SmtpServer.ReceivedMail;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one Spring test context of this module's integration tests, and what they share: the service
 * on a random HTTP port against the real three-broker cluster, a real PostgreSQL server (database
 * {@code service}) and a real SMTP server (GreenMail), with order-service replaced by a plain
 * producer. The tests are written once, in {@code *Contract} classes extending it; an {@code *IT}
 * subclass runs them on broker processes and embedded PostgreSQL, a {@code *ContainersIT} subclass
 * on Docker containers. Subclasses importing the same configuration share one cached context,
 * hence one listener of group {@code notification} per infrastructure.
 *
 * <p>The servers are shared by all tests: each test uses its own order IDs and asserts on them only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Short back-off so that a processing failure is dead-lettered within a second.
        "pedidos.retry.initial-interval=100ms",
        "pedidos.retry.max-retries=2",
        // The admin operations' user (replay, rewind); the services have no default password.
        "pedidos.admin.password=" + NotificationITSupport.ADMIN_PASSWORD,
        // Lag measured often, so that a test sees it move within a second.
        "pedidos.lag.interval=500ms"})
@Import(NotificationITSupport.SourceTopic.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class NotificationITSupport {

    static final String SOURCE = "pedidos-pendentes";
    static final String DEAD_LETTERS = "pedidos-pendentes-notification-dlt";
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String STATUS = "pedidos-status";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    KafkaCluster cluster;

    @Autowired
    SmtpServer smtp;

    @Autowired
    PostgresServer postgres;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    KafkaProducer<String, byte[]> producer;

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

    /** An order of {@code quantity} mugs at 19.90 BRL for Ana. */
    static OrderCreated order(UUID orderId, String sku, int quantity) {
        return order(orderId, "ana@example.com", new OrderItem(sku, "Caneca", quantity, new BigDecimal("19.90")));
    }

    /** An order with these items, total computed, for a customer with this e-mail address. */
    static OrderCreated order(UUID orderId, String email, OrderItem... items) {
        BigDecimal total = List.of(items).stream()
                .map(item -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new OrderCreated(UUID.randomUUID(), orderId, Instant.now(), new Customer("c-1", "Ana Souza", email),
                List.of(items), "BRL", total);
    }

    /** The event as order-service writes it, plus a field this version does not know (must be ignored). */
    static byte[] json(OrderCreated order) {
        ObjectNode node = JSON.valueToTree(order);
        node.put("couponCode", "BEMVINDO10");
        return JSON.writeValueAsBytes(node);
    }

    /** Produces the event keyed by its order ID, with order-service's headers. */
    RecordMetadata send(OrderCreated order) {
        return send(order.orderId().toString(), json(order));
    }

    RecordMetadata send(String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(SOURCE, key, value);
        record.headers().add(OrderCreated.EVENT_TYPE_HEADER, OrderCreated.EVENT_TYPE.getBytes(UTF_8));
        record.headers().add(OrderCreated.SCHEMA_VERSION_HEADER, OrderCreated.SCHEMA_VERSION.getBytes(UTF_8));
        return send(record);
    }

    RecordMetadata send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get();
        }
        catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("could not produce " + record, e);
        }
    }

    /** The e-mails the SMTP server received about the order, found by the order number in their subject. */
    List<ReceivedMail> mails(UUID orderId) {
        return mails(smtp.received(), orderId);
    }

    static List<ReceivedMail> mails(List<ReceivedMail> received, UUID orderId) {
        String number = orderId.toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
        return received.stream().filter(mail -> mail.subject() != null && mail.subject().contains(number)).toList();
    }

    /** @return the rows of the sent log for the order, read with plain SQL */
    List<Map<String, Object>> sentLogRows(UUID orderId) {
        return jdbc.sql("select * from sent_notification where order_id = ?").param(orderId).query().listOfRows();
    }

    /** Reads the dead-letter topic from the beginning until the record with this key shows up; there must be one. */
    ConsumerRecord<String, byte[]> deadLetter(String key) {
        try (KafkaConsumer<String, byte[]> consumer = deadLetterConsumer()) {
            List<TopicPartition> partitions = assignFromBeginning(consumer);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            assertThat(found).as("dead letters of %s in %s", key, partitions).hasSize(1);
            return found.getFirst();
        }
    }

    /** @return every record of the dead-letter topic, as of now, whose key is one of these */
    List<ConsumerRecord<String, byte[]>> deadLetters(List<String> keys) {
        try (KafkaConsumer<String, byte[]> consumer = deadLetterConsumer()) {
            List<TopicPartition> partitions = assignFromBeginning(consumer);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        found.add(record);
                    }
                });
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
            return found;
        }
    }

    /**
     * Reads the status topic from the beginning until every one of these orders has a
     * {@code CONFIRMATION_SENT} step of group {@code notification}.
     *
     * @return those steps of these orders, as of then, with their records' headers
     */
    List<ConsumerRecord<String, OrderStatusChanged>> confirmationSteps(Collection<UUID> orderIds) {
        Set<String> keys = orderIds.stream().map(UUID::toString).collect(Collectors.toSet());
        try (KafkaConsumer<String, byte[]> consumer = deadLetterConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(STATUS).stream()
                    .map(info -> new TopicPartition(STATUS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, OrderStatusChanged>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        OrderStatusChanged step = JSON.readValue(record.value(), OrderStatusChanged.class);
                        if (step.stage() == OrderStatusChanged.Stage.CONFIRMATION_SENT
                                && "notification".equals(step.group())) {
                            found.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                                    record.timestamp(), record.timestampType(), record.serializedKeySize(),
                                    record.serializedValueSize(), record.key(), step, record.headers(),
                                    record.leaderEpoch()));
                        }
                    }
                });
                return found.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(keys);
            });
            return found;
        }
    }

    private KafkaConsumer<String, byte[]> deadLetterConsumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assignFromBeginning(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(DEAD_LETTERS).stream()
                .map(info -> new TopicPartition(DEAD_LETTERS, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
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
}
