package dev.pedidos.notification;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.support.KafkaHeaders;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.infra.KafkaCluster;
import dev.pedidos.infra.KafkaClusterConfiguration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The notification consumer against the real three-broker cluster, with order-service replaced by a plain
 * producer. The only IT class of this module, so that one listener of group {@code notification} runs.
 */
@SpringBootTest(properties = {
        // Short back-off so that a processing failure is dead-lettered within a second.
        "pedidos.retry.initial-interval=100ms",
        "pedidos.retry.max-retries=2"})
@Import(KafkaClusterConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class NotificationConsumerIT {

    private static final String SOURCE = "pedidos-pendentes";
    private static final String DEAD_LETTERS = "pedidos-pendentes-notification-dlt";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private InMemoryNotifier notifier;

    @Autowired
    private KafkaCluster cluster;

    private KafkaProducer<String, byte[]> producer;

    /** order-service declares the source topic; it is not running here. Runs before the context starts. */
    @BeforeAll
    static void createSourceTopic() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaCluster.shared().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(SOURCE, 6, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
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

    @Test
    void everyOrderProducedIsConfirmed() {
        // given
        List<OrderCreated> orders = IntStream.range(0, 50).mapToObj(i -> order(UUID.randomUUID(), "SKU-" + i, 1 + i % 4)).toList();

        // when
        orders.forEach(order -> send(order.orderId().toString(), json(order)));

        // then
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(orders)
                .allSatisfy(order -> assertThat(notifier.sent(order.orderId())).singleElement()
                        .isEqualTo(OrderConfirmations.compose(order))));
    }

    @Test
    void eventsOfOneOrderAreProcessedInProduceOrder() {
        // given five events with the same order ID, hence the same key and partition
        UUID orderId = UUID.randomUUID();
        List<String> skus = List.of("SEQ-1", "SEQ-2", "SEQ-3", "SEQ-4", "SEQ-5");

        // when
        List<OrderCreated> events = skus.stream().map(sku -> order(orderId, sku, 1)).toList();
        events.forEach(event -> send(orderId.toString(), json(event)));

        // then
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(notifier.sent(orderId)).hasSize(skus.size()));
        assertThat(notifier.sent(orderId)).containsExactlyElementsOf(events.stream().map(OrderConfirmations::compose).toList());
    }

    @Test
    void malformedRecordIsDeadLetteredByteForByteWhileTheNextOneIsProcessed(CapturedOutput output) {
        // given a value that is not JSON, with a header of its own
        UUID orderId = UUID.randomUUID();
        byte[] malformed = "{\"not json".getBytes(UTF_8);
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(SOURCE, orderId.toString(), malformed);
        poison.headers().add("x-test-case", "malformed".getBytes(UTF_8));

        // when it is followed by a good record of the same key, hence on the same partition
        RecordMetadata sent = send(poison);
        send(orderId.toString(), json(order(orderId, "SKU-1", 2)));

        // then the good one is processed
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(notifier.sent(orderId)).hasSize(1));
        // and the malformed one is on the same partition of the dead-letter topic, as it was
        ConsumerRecord<String, byte[]> dead = deadLetter(orderId.toString());
        assertThat(dead.value()).isEqualTo(malformed);
        assertThat(dead.partition()).isEqualTo(sent.partition());
        assertThat(text(dead, "x-test-case")).isEqualTo("malformed");
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(SOURCE);
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_PARTITION)).getInt()).isEqualTo(sent.partition());
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(sent.offset());
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("notification");
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_FQCN)).endsWith("DeserializationException");
        // with one WARN line and no retry
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + orderId))
                .singleElement().asString().contains("WARN", "group notification", SOURCE + "-" + sent.partition() + "@" + sent.offset(), DEAD_LETTERS));
        assertThat(linesWith(output, "of order " + orderId)).hasSize(1);
    }

    @Test
    void processingFailureIsRetriedThenDeadLetteredAndTheGroupGoesOn(CapturedOutput output) {
        // given an order without the customer's e-mail address
        UUID orderId = UUID.randomUUID();
        OrderCreated good = order(orderId, "SKU-1", 3);
        OrderCreated noEmail = new OrderCreated(UUID.randomUUID(), orderId, good.occurredAt(),
                new Customer("c-1", "Ana Souza", ""), good.items(), good.currency(), good.totalAmount());

        // when it is followed by a correct event of the same order
        RecordMetadata sent = send(orderId.toString(), json(noEmail));
        send(orderId.toString(), json(good));

        // then the correct one is confirmed, and only that one
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(notifier.sent(orderId)).singleElement()
                .isEqualTo(OrderConfirmations.compose(good)));
        // after the wrong one was delivered three times (two retries) and dead-lettered as JSON
        ConsumerRecord<String, byte[]> dead = deadLetter(orderId.toString());
        assertThat(JSON.readValue(dead.value(), OrderCreated.class)).isEqualTo(noEmail);
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(sent.offset());
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("notification");
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("no customer e-mail address");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + orderId))
                .singleElement().asString().contains("WARN", "IllegalArgumentException"));
        assertThat(linesWith(output, "of order " + orderId)).hasSize(3);
    }

    @Test
    void deadLetterTopicIsDeclaredAsDurableAsTheSource() throws Exception {
        // given the topic the service declared at start-up
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            // when
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(DEAD_LETTERS)).allTopicNames().get()
                    .get(DEAD_LETTERS).partitions();
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, DEAD_LETTERS)))
                    .all().get().values().iterator().next();

            // then
            assertThat(partitions).hasSize(6).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(28).toMillis()));
            assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
        }
    }

    private static OrderCreated order(UUID orderId, String sku, int quantity) {
        BigDecimal unitPrice = new BigDecimal("19.90");
        return new OrderCreated(UUID.randomUUID(), orderId, Instant.now(), new Customer("c-1", "Ana Souza", "ana@example.com"),
                List.of(new OrderItem(sku, "Caneca", quantity, unitPrice)), "BRL",
                unitPrice.multiply(BigDecimal.valueOf(quantity)));
    }

    /** The event as order-service writes it, plus a field this version does not know (must be ignored). */
    private static byte[] json(OrderCreated order) {
        ObjectNode node = JSON.valueToTree(order);
        node.put("couponCode", "BEMVINDO10");
        return JSON.writeValueAsBytes(node);
    }

    private RecordMetadata send(String key, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(SOURCE, key, value);
        record.headers().add(OrderCreated.EVENT_TYPE_HEADER, OrderCreated.EVENT_TYPE.getBytes(UTF_8));
        record.headers().add(OrderCreated.SCHEMA_VERSION_HEADER, OrderCreated.SCHEMA_VERSION.getBytes(UTF_8));
        return send(record);
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get();
        }
        catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("could not produce " + record, e);
        }
    }

    /** Reads the dead-letter topic from the beginning until the record with this key shows up. */
    private ConsumerRecord<String, byte[]> deadLetter(String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(DEAD_LETTERS).stream()
                    .map(info -> new TopicPartition(DEAD_LETTERS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            assertThat(found).hasSize(1);
            return found.getFirst();
        }
    }

    private static byte[] bytes(ConsumerRecord<?, ?> record, String header) {
        Header found = record.headers().lastHeader(header);
        assertThat(found).as("header %s", header).isNotNull();
        return found.value();
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        return new String(bytes(record, header), UTF_8);
    }

    private static List<String> linesWith(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).toList();
    }
}
