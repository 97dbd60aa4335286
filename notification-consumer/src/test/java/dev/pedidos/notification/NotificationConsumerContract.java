package dev.pedidos.notification;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

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

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.infra.SmtpServer;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.infra.SmtpServer.ReceivedMail;

/**
 * The pipeline side of the notification consumer against the real cluster, database and SMTP server:
 * every order e-mailed once, per-key order, and what cannot be processed goes to the dead-letter topic.
 */
abstract class NotificationConsumerContract extends NotificationITSupport {

    @Test
    void everyOrderProducedIsEMailedAndLoggedOnce() {
        // given
        List<OrderCreated> orders = IntStream.range(0, 50).mapToObj(i -> order(UUID.randomUUID(), "SKU-" + i, 1 + i % 4)).toList();

        // when
        orders.forEach(this::send);

        // then the sent log has one row per order (written after the server took the e-mail), and each customer
        // got one e-mail
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(orders)
                .allSatisfy(order -> assertThat(sentLogRows(order.orderId())).hasSize(1)));
        List<ReceivedMail> received = smtp.received();
        assertThat(orders).allSatisfy(order -> assertThat(mails(received, order.orderId())).singleElement()
                .satisfies(mail -> assertThat(mail.to()).containsExactly(order.customer().email())));
        // and each order's CONFIRMATION_SENT step names the e-mail and the record it was read from
        List<ConsumerRecord<String, OrderStatusChanged>> steps = confirmationSteps(
                orders.stream().map(OrderCreated::orderId).toList());
        assertThat(orders).allSatisfy(order -> assertThat(steps)
                .filteredOn(step -> step.key().equals(order.orderId().toString())).singleElement()
                .satisfies(step -> {
                    Map<String, Object> row = sentLogRows(order.orderId()).getFirst();
                    assertThat(step.value().email()).isEqualTo(new OrderStatusChanged.Email(
                            (String) row.get("message_id"), order.customer().email()));
                    assertThat(step.value().sourceTopic()).isEqualTo(SOURCE);
                    assertThat(step.value().sourcePartition()).isEqualTo(row.get("source_partition"));
                    assertThat(step.value().sourceOffset()).isEqualTo(row.get("source_offset"));
                }));
    }

    @Test
    void theLineAboutAnOrderCarriesTheTraceIdOfItsRecord(CapturedOutput output) {
        // given a record in a trace, as order-service writes it
        OrderCreated order = order(UUID.randomUUID(), "SKU-1", 1);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(SOURCE, order.orderId().toString(), json(order));
        record.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(UTF_8));

        // when
        send(record);

        // then
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "E-mailed order " + order.orderId()))
                .singleElement().asString().contains(traceId));
    }

    @Test
    void eventsOfOneOrderAreProcessedInProduceOrder(CapturedOutput output) {
        // given five events with the same order ID, hence the same key and partition
        UUID orderId = UUID.randomUUID();
        List<String> skus = List.of("SEQ-1", "SEQ-2", "SEQ-3", "SEQ-4", "SEQ-5");

        // when
        List<RecordMetadata> sent = skus.stream().map(sku -> send(order(orderId, sku, 1))).toList();

        // then the first one produced is e-mailed and logged, and the others are found in the log, in produce order
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Order " + orderId)).hasSize(4));
        assertThat(mails(orderId)).singleElement().satisfies(mail -> assertThat(mail.body()).contains("(SEQ-1)")
                .doesNotContain("SEQ-2", "SEQ-3", "SEQ-4", "SEQ-5"));
        assertThat(sentLogRows(orderId)).singleElement()
                .satisfies(row -> assertThat(row.get("source_offset")).isEqualTo(sent.getFirst().offset()));
        assertThat(linesWith(output, "Order " + orderId)).map(line -> line.replaceAll(".*offset (\\d+)\\).*", "$1"))
                .containsExactlyElementsOf(sent.stream().skip(1).map(metadata -> Long.toString(metadata.offset())).toList());
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
        send(order(orderId, "SKU-1", 2));

        // then the good one is processed
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(mails(orderId)).hasSize(1));
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
    void deterministicFailureIsDeadLetteredAtOnceAndTheGroupGoesOn(CapturedOutput output) {
        // given an order without the customer's e-mail address
        UUID orderId = UUID.randomUUID();
        OrderCreated good = order(orderId, "SKU-1", 3);
        OrderCreated noEmail = new OrderCreated(UUID.randomUUID(), orderId, good.occurredAt(),
                new Customer("c-1", "Ana Souza", ""), good.items(), good.currency(), good.totalAmount());

        // when it is followed by a correct event of the same order
        RecordMetadata sent = send(noEmail);
        RecordMetadata correct = send(good);

        // then the correct one is confirmed, and only that one
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sentLogRows(orderId)).singleElement()
                .satisfies(row -> assertThat(row.get("source_offset")).isEqualTo(correct.offset())));
        assertThat(mails(orderId)).singleElement().satisfies(mail -> assertThat(mail.to()).containsExactly("ana@example.com"));
        // after the wrong one was delivered once (an IllegalArgumentException is deterministic: not retried)
        // and dead-lettered as JSON
        ConsumerRecord<String, byte[]> dead = deadLetter(orderId.toString());
        assertThat(JSON.readValue(dead.value(), OrderCreated.class)).isEqualTo(noEmail);
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(sent.offset());
        assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("notification");
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("no customer e-mail address");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + orderId))
                .singleElement().asString().contains("WARN", "IllegalArgumentException"));
        // no second delivery: the failure is deterministic
        assertThat(linesWith(output, "Delivery 2 of order " + orderId)).isEmpty();
    }

    @Test
    void aRecipientTheServerRefusesIsDeadLetteredAtOnceAndTheOthersOfItsPollAreEMailedOnce(CapturedOutput output) {
        // given three orders on one partition, produced together so that they are likely to share a poll, the
        // second one to an address the server refuses with 550
        OrderCreated first = order(UUID.randomUUID(), "ana@example.com", new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.90")));
        OrderCreated refused = order(UUID.randomUUID(), SmtpServer.REFUSED_PREFIX + "@example.com",
                new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.90")));
        OrderCreated third = order(UUID.randomUUID(), "bia@example.com", new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.90")));

        // when
        List<OrderCreated> orders = List.of(first, refused, third);
        List<Future<RecordMetadata>> sent = orders.stream().map(order -> producer.send(
                new ProducerRecord<>(SOURCE, 0, order.orderId().toString(), json(order)))).toList();
        producer.flush();

        // then the refused one is dead-lettered after one delivery, with the server's reply
        ConsumerRecord<String, byte[]> dead = deadLetter(refused.orderId().toString());
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("550");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + refused.orderId()))
                .singleElement().asString().contains("WARN", "PermanentFailureException"));
        assertThat(linesWith(output, "of order " + refused.orderId())).hasSize(1);
        assertThat(sentLogRows(refused.orderId())).isEmpty();
        assertThat(mails(refused.orderId())).isEmpty();
        // and the others are e-mailed and logged once, the one after it although it came to the listener again
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(List.of(first, third))
                .allSatisfy(order -> assertThat(sentLogRows(order.orderId())).hasSize(1)));
        assertThat(List.of(first, third)).allSatisfy(order -> assertThat(mails(order.orderId())).singleElement());
        assertThat(sent).allSatisfy(future -> assertThat(future).isDone());
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
