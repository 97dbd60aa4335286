package dev.pedidos.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.kafka.support.KafkaHeaders;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.events.OrderStatusChanged.Stage;

/**
 * The billing consumer against the real three-broker cluster and PostgreSQL: every order billed,
 * per-key order, and what happens to records the group cannot process (DESIGN G3, G6).
 */
abstract class BillingConsumerContract extends BillingIntegrationSupport {

    @Test
    void everyOrderProducedIsInvoiced() {
        // given
        List<OrderCreated> orders = orders(50);

        // when
        sendAll(orders);

        // then
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(orders)
                .allSatisfy(order -> assertThat(ledger.find(order.orderId())).hasValueSatisfying(stored ->
                        assertThat(stored.invoice().total()).isEqualByComparingTo(order.totalAmount()))));
    }

    @Test
    void invoicedOrderPublishesItsInvoicedStepInItsTrace(CapturedOutput output) {
        // given an order in a trace of order-service's
        OrderCreated order = order(UUID.randomUUID(), "SKU-1", 2);
        ProducerRecord<String, byte[]> record = record(order);
        String traceparent = traceparent();
        record.headers().add("traceparent", traceparent.getBytes(UTF_8));

        // when
        RecordMetadata sent = send(record);

        // then its INVOICED step is on the status topic, keyed by order ID, from the source record
        ConsumerRecord<String, byte[]> published = steps(order.orderId(), Stage.INVOICED, 1).getFirst();
        OrderStatusChanged step = step(published);
        assertThat(published.key()).isEqualTo(order.orderId().toString());
        assertThat(step.group()).isEqualTo("billing");
        assertThat(step.sourceTopic()).isEqualTo(SOURCE);
        assertThat(step.sourcePartition()).isEqualTo(sent.partition());
        assertThat(step.sourceOffset()).isEqualTo(sent.offset());
        // with the ledger's invoice
        assertThat(ledger.find(order.orderId())).hasValueSatisfying(stored -> {
            assertThat(step.invoice().number()).isEqualTo(stored.invoice().number());
            assertThat(step.invoice().total()).isEqualByComparingTo(stored.invoice().total());
            assertThat(step.invoice().currency()).isEqualTo("BRL");
        });
        // in the order's trace: the source's traceparent on the step, its trace ID on billing's log line
        assertThat(text(published, "traceparent")).isEqualTo(traceparent);
        assertThat(text(published, OrderStatusChanged.EVENT_TYPE_HEADER)).isEqualTo(OrderStatusChanged.EVENT_TYPE);
        assertThat(linesWith(output, "Invoiced order " + order.orderId())).singleElement().asString()
                .contains(traceId(traceparent));
    }

    @Test
    void eventsOfOneOrderAreProcessedInProduceOrder(CapturedOutput output) {
        // given five events with the same order ID but different items, hence the same key and partition
        UUID orderId = UUID.randomUUID();
        List<String> skus = List.of("SEQ-1", "SEQ-2", "SEQ-3", "SEQ-4", "SEQ-5");

        // when
        List<Long> offsets = skus.stream().map(sku -> send(order(orderId, sku, 1)).offset()).toList();

        // then the first produced is the invoice, from its own record
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "conflict for order " + orderId)).hasSize(4));
        assertThat(ledger.find(orderId)).hasValueSatisfying(stored -> {
            assertThat(stored.invoice().lines().getFirst().sku()).isEqualTo("SEQ-1");
            assertThat(stored.offset()).isEqualTo(offsets.getFirst());
        });
        // and the four others were compared with it in produce order, each logged as a conflict
        Pattern offset = Pattern.compile("partition \\d+, offset (\\d+)\\)");
        assertThat(linesWith(output, "conflict for order " + orderId)).map(line -> {
            Matcher matcher = offset.matcher(line);
            assertThat(matcher.find()).isTrue();
            return Long.parseLong(matcher.group(1));
        }).containsExactlyElementsOf(offsets.subList(1, 5));
        assertThat(linesWith(output, "conflict for order " + orderId)).allSatisfy(line -> assertThat(line)
                .contains("WARN", "from partition", "offset " + offsets.getFirst() + ", which is kept"));
    }

    @Test
    void malformedRecordIsDeadLetteredByteForByteWhileTheNextOneIsProcessed(CapturedOutput output) {
        // given a value that is not JSON, with a header of its own
        UUID orderId = UUID.randomUUID();
        byte[] malformed = "{\"not json".getBytes(UTF_8);
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(SOURCE, orderId.toString(), malformed);
        poison.headers().add("x-test-case", "malformed".getBytes(UTF_8));

        // when it is followed by a good record of the same key, hence on the same partition, likely in the same poll
        RecordMetadata sent = send(poison);
        send(order(orderId, "SKU-1", 2));

        // then the good one is processed
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(orderId)).isPresent());
        // and the malformed one is on the same partition of the dead-letter topic, as it was
        ConsumerRecord<String, byte[]> dead = deadLetter(orderId.toString());
        assertThat(dead.value()).isEqualTo(malformed);
        assertThat(dead.partition()).isEqualTo(sent.partition());
        assertThat(text(dead, "x-test-case")).isEqualTo("malformed");
        assertThat(dead.headers().lastHeader("springDeserializerExceptionValue")).isNull();
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(SOURCE);
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_PARTITION)).getInt()).isEqualTo(sent.partition());
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(sent.offset());
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("billing");
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_FQCN)).endsWith("DeserializationException");
        // with one WARN line and no retry
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + orderId))
                .singleElement().asString().contains("WARN", "group billing", SOURCE + "-" + sent.partition() + "@" + sent.offset(), DEAD_LETTERS));
        assertThat(linesWith(output, "of order " + orderId)).hasSize(1);
        // and its DEAD_LETTERED step says why and where the dead letter is
        OrderStatusChanged step = step(steps(orderId, Stage.DEAD_LETTERED, 1).getFirst());
        assertThat(step.group()).isEqualTo("billing");
        assertThat(step.sourcePartition()).isEqualTo(sent.partition());
        assertThat(step.sourceOffset()).isEqualTo(sent.offset());
        assertThat(step.deadLetter().reason()).contains("DeserializationException").doesNotContain("\n");
        assertThat(step.deadLetter().topic()).isEqualTo(DEAD_LETTERS);
        assertThat(step.deadLetter().partition()).isEqualTo(dead.partition());
        assertThat(step.deadLetter().offset()).isEqualTo(dead.offset());
        ConsumerRecord<String, byte[]> atCoordinates = recordAt(DEAD_LETTERS, step.deadLetter().partition(),
                step.deadLetter().offset());
        assertThat(atCoordinates.key()).isEqualTo(orderId.toString());
        assertThat(atCoordinates.value()).isEqualTo(malformed);
    }

    @Test
    void deadLetterWhoseKeyIsNotAnOrderIdGetsNoStep(CapturedOutput output) {
        // given a malformed record whose key is not an order ID
        String key = "not-an-order-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(SOURCE, key, "{\"not json".getBytes(UTF_8));

        // when
        RecordMetadata sent = send(poison);

        // then it is dead-lettered and said to have no step
        ConsumerRecord<String, byte[]> dead = deadLetter(key);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output,
                "No DEAD_LETTERED step for the record " + SOURCE + "-" + sent.partition() + "@" + sent.offset()))
                .singleElement().asString().contains("INFO", DEAD_LETTERS + "-" + dead.partition() + "@" + dead.offset(),
                        "key is not an order ID"));
    }

    @Test
    void deterministicFailureIsDeadLetteredAtOnceAndTheGroupGoesOn(CapturedOutput output) {
        // given an order whose stated total differs from its items
        UUID orderId = UUID.randomUUID();
        OrderCreated good = order(orderId, "SKU-1", 3);
        OrderCreated wrongTotal = new OrderCreated(UUID.randomUUID(), orderId, good.occurredAt(), good.customer(),
                good.items(), good.currency(), good.totalAmount().add(BigDecimal.ONE));
        // and, on other orders, records before and after it that share its polls
        List<OrderCreated> neighbours = orders(20);

        // when it is followed by a correct event of the same order
        sendAll(neighbours.subList(0, 10));
        RecordMetadata sent = send(wrongTotal);
        send(good);
        sendAll(neighbours.subList(10, 20));

        // then the correct one is invoiced
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(orderId)).hasValueSatisfying(stored ->
                assertThat(stored.invoice().total()).isEqualByComparingTo(good.totalAmount())));
        // after the wrong one was delivered once (an IllegalArgumentException is deterministic: not retried)
        // and dead-lettered as JSON
        ConsumerRecord<String, byte[]> dead = deadLetter(orderId.toString());
        assertThat(JSON.readValue(dead.value(), OrderCreated.class)).isEqualTo(wrongTotal);
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(sent.offset());
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("billing");
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("totalAmount");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + orderId))
                .singleElement().asString().contains("WARN", "IllegalArgumentException"));
        // no second delivery: the failure is deterministic
        assertThat(linesWith(output, "Delivery 2 of order " + orderId)).isEmpty();
        // and both show in the order's journey: the dead letter with its coordinates, the invoice
        OrderStatusChanged deadLettered = step(steps(orderId, Stage.DEAD_LETTERED, 1).getFirst());
        assertThat(deadLettered.sourceOffset()).isEqualTo(sent.offset());
        assertThat(deadLettered.deadLetter().reason()).contains("IllegalArgumentException", "totalAmount");
        assertThat(deadLettered.deadLetter().partition()).isEqualTo(dead.partition());
        assertThat(deadLettered.deadLetter().offset()).isEqualTo(dead.offset());
        assertThat(steps(orderId, Stage.INVOICED, 1)).singleElement()
                .satisfies(invoiced -> assertThat(step(invoiced).sourceOffset()).isEqualTo(sent.offset() + 1));
        // and every other order of those polls is billed exactly once, none of them twice
        List<UUID> others = neighbours.stream().map(OrderCreated::orderId).toList();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(invoiceRows(others)).hasSize(20).containsOnlyKeys(others));
        assertThat(others).allSatisfy(other -> assertThat(linesWith(output, other.toString()))
                .singleElement().asString().contains("Invoiced order " + other));
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
}
