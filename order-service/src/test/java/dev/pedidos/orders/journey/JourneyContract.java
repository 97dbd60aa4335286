package dev.pedidos.orders.journey;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.events.OrderStatusChanged.DeadLetter;
import dev.pedidos.events.OrderStatusChanged.Email;
import dev.pedidos.events.OrderStatusChanged.Invoice;
import dev.pedidos.events.OrderStatusChanged.Replay;
import dev.pedidos.events.OrderStatusChanged.Stage;
import dev.pedidos.infra.KafkaCluster;
import dev.pedidos.infra.PostgresServer;
import dev.pedidos.orders.OrderServiceIntegrationTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The journey view on the real cluster and PostgreSQL: orders are placed over HTTP; billing and
 * notification are simulated by producing their {@code OrderStatusChanged} records to
 * {@code pedidos-status} (as the consumer groups write them, {@code traceparent} carried over).
 * Each test uses its own orders and asserts on them alone.
 */
@OrderServiceIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
abstract class JourneyContract {

    static final String ORDERS = "pedidos-pendentes";
    static final String STATUS = "pedidos-status";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String ORDER = """
            {"customer": {"id": "c-42", "name": "Ana Souza", "email": "ana@example.com"},
             "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 3, "unitPrice": 19.99},
                       {"sku": "SKU-2", "name": "Prato", "quantity": 1, "unitPrice": 7.50}]}
            """;

    @Autowired
    KafkaCluster cluster;

    @Autowired
    PostgresServer postgres;

    @Autowired
    KafkaListenerEndpointRegistry registry;

    @Autowired
    JourneyView view;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void openProducer() throws InterruptedException {
        createStatusTopic();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
        postgres.start();
    }

    @Test
    void journeyShowsEveryStepWithItsRecordInvoiceNumberAndMessageId(CapturedOutput output) {
        // given an accepted order
        HttpResponse<String> accepted = post(ORDER, null);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        UUID orderId = UUID.fromString(location.substring("/orders/".length()));

        // then its Location answers at once, with at least the ACCEPTED step (read your own write)
        HttpResponse<String> first = get(location);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode early = JSON.readTree(first.body());
        assertThat(early.get("status").asString()).isEqualTo("ACCEPTED");
        JsonNode acceptedStep = early.get("journey").get(0);
        assertThat(acceptedStep.get("stage").asString()).isEqualTo("ACCEPTED");
        assertThat(acceptedStep.get("topic").asString()).isEqualTo(ORDERS);
        int partition = acceptedStep.get("partition").asInt();
        long offset = acceptedStep.get("offset").asLong();
        String traceId = early.get("traceId").asString();
        assertThat(traceId).matches("[0-9a-f]{32}");

        // when billing and notification report their steps of that record
        send(status(orderId, Stage.INVOICED, "billing", partition, offset), traceId);
        send(status(orderId, Stage.CONFIRMATION_SENT, "notification", partition, offset), traceId);

        // then the journey is complete, each step with its service, group, record, trace and detail
        JsonNode order = awaitStatus(location, "COMPLETED");
        assertThat(order.get("orderId").asString()).isEqualTo(orderId.toString());
        assertThat(order.get("deadLetteredBy").isEmpty()).isTrue();
        assertThat(order.get("customer").get("name").asString()).isEqualTo("Ana Souza");
        assertThat(order.get("customer").get("email").asString()).isEqualTo("ana@example.com");
        assertThat(order.get("items")).hasSize(2);
        assertThat(order.get("items").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(order.get("totalAmount").decimalValue()).isEqualByComparingTo("67.47");
        assertThat(order.get("currency").asString()).isEqualTo("BRL");
        assertThat(order.get("acceptedAt").asString()).isNotBlank();
        assertThat(order.get("traceId").asString()).isEqualTo(traceId);
        assertThat(stages(order)).containsExactly("ACCEPTED", "INVOICED", "CONFIRMATION_SENT");
        assertThat(order.get("journey")).allSatisfy(step -> {
            assertThat(step.get("topic").asString()).isEqualTo(ORDERS);
            assertThat(step.get("partition").asInt()).isEqualTo(partition);
            assertThat(step.get("offset").asLong()).isEqualTo(offset);
            assertThat(step.get("traceId").asString()).isEqualTo(traceId);
            assertThat(step.get("at").asString()).isNotBlank();
        });
        JsonNode invoiced = order.get("journey").get(1);
        assertThat(invoiced.get("service").asString()).isEqualTo("billing-consumer");
        assertThat(invoiced.get("group").asString()).isEqualTo("billing");
        assertThat(invoiced.get("detail").get("invoiceNumber").asString()).isEqualTo(invoiceNumber(orderId));
        assertThat(invoiced.get("detail").get("total").decimalValue()).isEqualByComparingTo("67.47");
        JsonNode sent = order.get("journey").get(2);
        assertThat(sent.get("service").asString()).isEqualTo("notification-consumer");
        assertThat(sent.get("detail").get("messageId").asString()).isEqualTo(messageId(orderId));
        assertThat(sent.get("detail").get("recipient").asString()).isEqualTo("ana@example.com");
        assertThat(order.get("journey").get(0).get("service").asString()).isEqualTo("order-service");
        assertThat(order.get("journey").get(0).get("group").isNull()).isTrue();
        // and every log line of the view about the order names it and its trace
        assertThat(output.getAll().lines().filter(line -> line.contains("Order " + orderId + " ")
                && line.contains("JourneyProjector")))
                .hasSize(3).allSatisfy(line -> assertThat(line).contains("trace " + traceId));
    }

    @Test
    void deadLetterShowsPerGroupUntilTheGroupProcessedTheOrder() {
        // given an accepted order
        String location = post(ORDER, null).headers().firstValue("Location").orElseThrow();
        UUID orderId = UUID.fromString(location.substring("/orders/".length()));
        JsonNode accepted = awaitStatus(location, "ACCEPTED");
        int partition = accepted.get("journey").get(0).get("partition").asInt();
        long offset = accepted.get("journey").get(0).get("offset").asLong();

        // when billing dead-letters it while notification e-mails it
        send(deadLettered(orderId, "billing", partition, offset, 17), null);
        send(status(orderId, Stage.CONFIRMATION_SENT, "notification", partition, offset), null);

        // then it shows as dead-lettered by billing, with the dead letter's coordinates and reason
        JsonNode dead = awaitStatus(location, "DEAD_LETTERED");
        assertThat(dead.get("deadLetteredBy")).singleElement().satisfies(group -> assertThat(group.asString()).isEqualTo("billing"));
        JsonNode step = stepsOf(dead, "DEAD_LETTERED").getFirst();
        assertThat(step.get("group").asString()).isEqualTo("billing");
        assertThat(step.get("detail").get("reason").asString()).contains("IllegalStateException");
        assertThat(step.get("detail").get("deadLetterTopic").asString()).isEqualTo("pedidos-pendentes-billing-dlt");
        assertThat(step.get("detail").get("deadLetterPartition").asInt()).isEqualTo(partition);
        assertThat(step.get("detail").get("deadLetterOffset").asLong()).isEqualTo(17);

        // when an operator replays it and billing invoices it
        send(replayed(orderId, "billing", partition, 17), null);
        send(status(orderId, Stage.INVOICED, "billing", partition, offset), null);

        // then billing's dead letter is resolved and the order is complete
        JsonNode done = awaitStatus(location, "COMPLETED");
        assertThat(done.get("deadLetteredBy").isEmpty()).isTrue();
        assertThat(stages(done)).containsExactly("ACCEPTED", "DEAD_LETTERED", "CONFIRMATION_SENT", "REPLAYED", "INVOICED");
        assertThat(stepsOf(done, "REPLAYED").getFirst().get("detail").get("replayCount").asInt()).isEqualTo(1);
    }

    @Test
    void redeliveryAndDuplicatePostsAddNoStep(CapturedOutput output) throws Exception {
        // given an order posted twice with the same Idempotency-Key, and its steps published twice (a redelivered
        // source record makes a group publish its step again, with a new event ID)
        String key = "journey-" + UUID.randomUUID();
        HttpResponse<String> firstPost = post(ORDER, key);
        HttpResponse<String> secondPost = post(ORDER, key);
        String location = firstPost.headers().firstValue("Location").orElseThrow();
        assertThat(secondPost.headers().firstValue("Location")).hasValue(location);
        UUID orderId = UUID.fromString(location.substring("/orders/".length()));
        RecordMetadata invoiced = null;
        for (int i = 0; i < 2; i++) {
            invoiced = send(status(orderId, Stage.INVOICED, "billing", 0, 0), null);
            send(status(orderId, Stage.CONFIRMATION_SENT, "notification", 0, 0), null);
        }
        JsonNode complete = awaitStatus(location, "COMPLETED");
        assertThat(stages(complete)).containsExactly("ACCEPTED", "INVOICED", "CONFIRMATION_SENT");
        long acceptedOffset = complete.get("journey").get(0).get("offset").asLong();
        int acceptedPartition = complete.get("journey").get(0).get("partition").asInt();

        // when the group order-journey reads both topics' records of the order again (offsets moved back)
        List<MessageListenerContainer> containers = List.of(
                registry.getListenerContainer(JourneyProjector.ORDERS_LISTENER),
                registry.getListenerContainer(JourneyProjector.STATUS_LISTENER));
        containers.forEach(MessageListenerContainer::stop);
        Map<TopicPartition, OffsetAndMetadata> rewound = Map.of(
                new TopicPartition(ORDERS, acceptedPartition), new OffsetAndMetadata(acceptedOffset),
                new TopicPartition(STATUS, invoiced.partition()), new OffsetAndMetadata(invoiced.offset() - 2));
        try (Admin admin = admin()) {
            // (refused while the group still has members; they leave as the consumers close)
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                    admin.alterConsumerGroupOffsets("order-journey", rewound).all().get());
        }
        finally {
            containers.forEach(MessageListenerContainer::start);
        }

        // then, once the group has read past them again, the journey still has one step of each
        try (Admin admin = admin()) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("order-journey")
                        .partitionsToOffsetAndMetadata().get();
                rewound.forEach((partition, offset) -> assertThat(committed.get(partition).offset())
                        .as("committed offset of %s", partition).isGreaterThan(offset.offset() + 1));
            });
        }
        JsonNode after = JSON.readTree(get(location).body());
        assertThat(stages(after)).containsExactly("ACCEPTED", "INVOICED", "CONFIRMATION_SENT");
        assertThat(view.steps(orderId)).hasSize(3);
        assertThat(output.getAll().lines().filter(line -> line.contains("Order " + orderId + " ")
                && line.contains("JourneyProjector"))).hasSize(3);
    }

    @Test
    void withItsDatabaseStoppedTheServiceAcceptsOrdersAnswers503AndTheViewCatchesUp() {
        List<String> locations = new ArrayList<>();
        try {
            // given a stream of orders, during which PostgreSQL stops
            for (int i = 0; i < 10; i++) {
                locations.add(placed(post(ORDER, null)));
            }
            postgres.stop();

            // then orders are still accepted and their steps published, while GET answers 503 with Retry-After
            for (int i = 0; i < 30; i++) {
                locations.add(placed(post(ORDER, null)));
            }
            for (String location : locations) {
                UUID orderId = UUID.fromString(location.substring("/orders/".length()));
                send(status(orderId, Stage.INVOICED, "billing", 0, 0), null);
                send(status(orderId, Stage.CONFIRMATION_SENT, "notification", 0, 0), null);
            }
            HttpResponse<String> unavailable = get(locations.getLast());
            assertThat(unavailable.statusCode()).isEqualTo(503);
            assertThat(unavailable.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(unavailable.body()).get("type").asString())
                    .isEqualTo(JourneyController.VIEW_UNAVAILABLE);
            assertThat(get("/orders").statusCode()).isEqualTo(503);
            // an order's event stream too (it starts with a catch-up read of the view), as a problem that the page retries
            HttpResponse<String> stream = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/orders/stream?orderId=" + locations.getLast().substring("/orders/".length())))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(15)).GET().build());
            assertThat(stream.statusCode()).isEqualTo(503);
            assertThat(stream.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(stream.body()).get("type").asString())
                    .isEqualTo(JourneyController.VIEW_UNAVAILABLE);
            assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        }
        finally {
            // when it is back
            postgres.start();
        }

        // then every journey is complete
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(locations).allSatisfy(location -> {
            HttpResponse<String> response = get(location);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode order = JSON.readTree(response.body());
            assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(stages(order)).containsExactly("ACCEPTED", "INVOICED", "CONFIRMATION_SENT");
        }));
    }

    @Test
    void ordersAreListedNewestFirstByStatusInPages() {
        // given three orders, each in the view before the next is placed, one of them completed
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String location = placed(post(ORDER, null));
            UUID orderId = UUID.fromString(location.substring("/orders/".length()));
            await().atMost(PATIENCE).until(() -> view.find(orderId).filter(order -> order.acceptedAt() != null).isPresent());
            locations.add(location);
        }
        UUID completed = UUID.fromString(locations.get(1).substring("/orders/".length()));
        send(status(completed, Stage.INVOICED, "billing", 0, 0), null);
        send(status(completed, Stage.CONFIRMATION_SENT, "notification", 0, 0), null);
        awaitStatus(locations.get(1), "COMPLETED");
        awaitStatus(locations.get(2), "ACCEPTED");

        // when they are listed two by two
        JsonNode firstPage = JSON.readTree(get("/orders?limit=2").body());
        JsonNode secondPage = JSON.readTree(get("/orders?limit=2&cursor=" + firstPage.get("nextCursor").asString()).body());

        // then newest first, across pages without overlap
        List<String> ids = new ArrayList<>();
        firstPage.get("orders").forEach(order -> ids.add(order.get("orderId").asString()));
        secondPage.get("orders").forEach(order -> ids.add(order.get("orderId").asString()));
        assertThat(ids.subList(0, 3)).containsExactly(
                locations.get(2).substring(8), locations.get(1).substring(8), locations.get(0).substring(8));
        JsonNode summary = firstPage.get("orders").get(0);
        assertThat(summary.get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(summary.get("customerName").asString()).isEqualTo("Ana Souza");
        assertThat(summary.get("totalAmount").decimalValue()).isEqualByComparingTo("67.47");
        assertThat(summary.get("currency").asString()).isEqualTo("BRL");
        assertThat(summary.get("acceptedAt").asString()).isNotBlank();
        // and filtered by status
        JsonNode onlyCompleted = JSON.readTree(get("/orders?status=COMPLETED&limit=100").body());
        assertThat(onlyCompleted.get("orders")).allSatisfy(order ->
                assertThat(order.get("status").asString()).isEqualTo("COMPLETED"));
        assertThat(onlyCompleted.get("orders").get(0).get("orderId").asString()).isEqualTo(completed.toString());
        // and the steps are readable in ID order from a position, as the SSE stream reads them
        List<JourneyStep> steps = view.stepsAfter(0, completed, 10);
        assertThat(steps).extracting(JourneyStep::stage).containsExactly(JourneyStep.Stage.ACCEPTED,
                JourneyStep.Stage.INVOICED, JourneyStep.Stage.CONFIRMATION_SENT);
        assertThat(view.stepsAfter(steps.get(0).id(), completed, 10)).hasSize(2);
        assertThat(steps).extracting(JourneyStep::id).isSorted();
    }

    // ---------------------------------------------------------------------------------------------

    static String invoiceNumber(UUID orderId) {
        return "INV-" + orderId.toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    static String messageId(UUID orderId) {
        return "<" + orderId + "@pedidos.test>";
    }

    static OrderStatusChanged status(UUID orderId, Stage stage, String group, int partition, long offset) {
        return new OrderStatusChanged(UUID.randomUUID(), orderId, stage, group, Instant.now(), ORDERS, partition, offset,
                stage == Stage.INVOICED ? new Invoice(invoiceNumber(orderId), new BigDecimal("67.47"), "BRL") : null,
                stage == Stage.CONFIRMATION_SENT ? new Email(messageId(orderId), "ana@example.com") : null, null, null);
    }

    static OrderStatusChanged deadLettered(UUID orderId, String group, int partition, long offset, long dltOffset) {
        return new OrderStatusChanged(UUID.randomUUID(), orderId, Stage.DEAD_LETTERED, group, Instant.now(), ORDERS,
                partition, offset, null, null, new DeadLetter("java.lang.IllegalStateException: simulated",
                        "pedidos-pendentes-" + group + "-dlt", partition, dltOffset), null);
    }

    static OrderStatusChanged replayed(UUID orderId, String group, int partition, long dltOffset) {
        String dlt = "pedidos-pendentes-" + group + "-dlt";
        return new OrderStatusChanged(UUID.randomUUID(), orderId, Stage.REPLAYED, group, Instant.now(), dlt, partition,
                dltOffset, null, null, null, new Replay(dlt, partition, dltOffset, 1));
    }

    /** Produces a status event as a consumer group does: key = order ID, JSON, headers, traceparent carried over. */
    RecordMetadata send(OrderStatusChanged event, String traceId) {
        var record = new ProducerRecord<String, byte[]>(STATUS, event.orderId().toString(), JSON.writeValueAsBytes(event));
        record.headers().add(OrderStatusChanged.EVENT_TYPE_HEADER, OrderStatusChanged.EVENT_TYPE.getBytes(UTF_8));
        record.headers().add(OrderStatusChanged.SCHEMA_VERSION_HEADER, OrderStatusChanged.SCHEMA_VERSION.getBytes(UTF_8));
        if (traceId != null) {
            record.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(UTF_8));
        }
        try {
            return producer.send(record).get();
        }
        catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("could not produce " + record, e);
        }
    }

    JsonNode awaitStatus(String location, String status) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> response = get(location);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            found[0] = JSON.readTree(response.body());
            assertThat(found[0].get("status").asString()).isEqualTo(status);
        });
        return found[0];
    }

    static List<String> stages(JsonNode order) {
        List<String> stages = new ArrayList<>();
        order.get("journey").forEach(step -> stages.add(step.get("stage").asString()));
        return stages;
    }

    static List<JsonNode> stepsOf(JsonNode order, String stage) {
        List<JsonNode> steps = new ArrayList<>();
        order.get("journey").forEach(step -> {
            if (step.get("stage").asString().equals(stage)) {
                steps.add(step);
            }
        });
        return steps;
    }

    static String placed(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.headers().firstValue("Location").orElseThrow();
    }

    HttpResponse<String> post(String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new AssertionError(request + " failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    /** billing and notification declare the status topic; neither runs here. */
    private void createStatusTopic() throws InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(STATUS, 6, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new AssertionError("could not create " + STATUS, e);
            }
        }
    }
}
