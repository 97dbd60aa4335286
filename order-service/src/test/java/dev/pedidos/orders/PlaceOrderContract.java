package dev.pedidos.orders;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.infra.KafkaCluster;
import dev.pedidos.infra.PostgresServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/** {@code POST /orders} over real HTTP, checked on the real topic of the real cluster. */
@OrderServiceIntegrationTest
abstract class PlaceOrderContract {

    /** W3C Trace Context version 00: trace ID, parent span ID, flags (bit 0 sampled, bit 1 random). */
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private static final String ORDER = """
            {"customer": {"id": "c-42", "name": "Ana", "email": "ana@example.com"},
             "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 3, "unitPrice": 19.99},
                       {"sku": "SKU-2", "name": "Prato", "quantity": 1, "unitPrice": 7.5}],
             "currency": "BRL"}
            """;

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private KafkaCluster cluster;

    @Autowired
    private TopicProperties topic;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private PostgresServer postgres;

    @Autowired
    private ScheduledTaskHolder scheduledTasks;

    @LocalServerPort
    private int port;

    private RestTestClient http;
    private PendingOrders pendingOrders;

    @BeforeEach
    void connect() {
        http = RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        pendingOrders = new PendingOrders(cluster.bootstrapServers(), topic.name());
    }

    @AfterEach
    void disconnect() {
        pendingOrders.close();
    }

    @Test
    void acceptedOrderIsOnTheTopicKeyedByOrderIdWithHeadersAndJsonValue() {
        String incomingTraceId = HexFormat.of().formatHex(randomBytes(16));
        String incomingTraceparent = "00-" + incomingTraceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";

        EntityExchangeResult<Map<String, Object>> accepted = http.post().uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("traceparent", incomingTraceparent)
                .body(ORDER)
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult();

        UUID orderId = UUID.fromString((String) accepted.getResponseBody().get("orderId"));
        assertThat(accepted.getResponseHeaders().getLocation()).isEqualTo(URI.create("/orders/" + orderId));
        assertThat(accepted.getResponseBody()).containsEntry("status", "ACCEPTED").containsEntry("currency", "BRL");

        ConsumerRecord<String, String> record = pendingOrders.awaitKeyed(orderId.toString(), 1).getFirst();
        assertThat(header(record, "eventType")).isEqualTo("OrderCreated");
        assertThat(header(record, "schemaVersion")).isEqualTo("1");
        Matcher traceparent = TRACEPARENT.matcher(header(record, "traceparent"));
        assertThat(traceparent.matches()).as("W3C traceparent %s", header(record, "traceparent")).isTrue();
        assertThat(traceparent.group(1)).as("continues the caller's trace").isEqualTo(incomingTraceId);
        assertThat(record.headers().lastHeader("__TypeId__")).as("no Java type headers").isNull();

        assertThat(record.value()).contains("\"totalAmount\":67.47").contains("\"occurredAt\":\"");
        OrderCreated event = JsonMapper.builder().build().readValue(record.value(), OrderCreated.class);
        assertThat(event.orderId()).isEqualTo(orderId);
        assertThat(event.occurredAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(event.customer()).isEqualTo(new dev.pedidos.events.Customer("c-42", "Ana", "ana@example.com"));
        assertThat(event.items()).containsExactly(
                new OrderItem("SKU-1", "Caneca", 3, new BigDecimal("19.99")),
                new OrderItem("SKU-2", "Prato", 1, new BigDecimal("7.50")));
        assertThat(event.currency()).isEqualTo("BRL");
        assertThat(event.totalAmount()).isEqualTo(new BigDecimal("67.47"));
    }

    @Test
    void orderWithoutIncomingTraceStartsATrace() {
        UUID orderId = place(ORDER, null);

        String traceparent = header(pendingOrders.awaitKeyed(orderId.toString(), 1).getFirst(), "traceparent");
        Matcher matcher = TRACEPARENT.matcher(traceparent);
        assertThat(matcher.matches()).as("W3C traceparent %s", traceparent).isTrue();
        assertThat(matcher.group(1)).isNotEqualTo("0".repeat(32));
        assertThat(matcher.group(2)).isNotEqualTo("0".repeat(16));
        assertThat(Integer.parseInt(matcher.group(3), 16) & 1).as("sampled").isEqualTo(1);
    }

    @Test
    void sameIdempotencyKeyTwiceIsTheSameOrderOnTheSamePartition() {
        String key = "checkout-" + UUID.randomUUID();

        UUID first = place(ORDER, key);
        UUID second = place(ORDER, key);

        assertThat(second).isEqualTo(first).isEqualTo(Orders.orderIdFor(key));
        List<ConsumerRecord<String, String>> records = pendingOrders.awaitKeyed(first.toString(), 2);
        assertThat(records).hasSize(2);
        assertThat(records.get(1).partition()).isEqualTo(records.get(0).partition());
    }

    @Test
    void sameIdempotencyKeyWithAnotherOrderIs422AndNothingIsPublished() {
        String key = "checkout-" + UUID.randomUUID();
        UUID first = place(ORDER, key);

        http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key)
                .body(ORDER.replace("\"quantity\": 3", "\"quantity\": 300"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(OrderProblems.KEY_REUSED)
                .jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");

        // the first order only, once: a later order of the same key would be a second record
        pendingOrders.readToEnd();
        assertThat(pendingOrders.keyed(first.toString())).hasSize(1);
    }

    @Test
    void sameOrderSpelledDifferentlyIsTheSameOrder() {
        String key = "checkout-" + UUID.randomUUID();
        UUID first = place(ORDER, key);

        // other whitespace and field order, 7.50 for 7.5, the default currency left out
        UUID second = place("""
                {"items": [{"unitPrice": 19.990, "quantity": 3, "name": "Caneca", "sku": "SKU-1"},
                           {"sku": "SKU-2", "name": "Prato", "quantity": 1, "unitPrice": 7.50}],
                 "customer": {"email": "ana@example.com", "name": "Ana", "id": "c-42"}}""", key);

        assertThat(second).isEqualTo(first);
        assertThat(pendingOrders.awaitKeyed(first.toString(), 2)).hasSize(2);
    }

    @Test
    void concurrentPostsWithOneKeyAreOneOrder() throws Exception {
        String key = "checkout-" + UUID.randomUUID();
        int clients = 8;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build();

        List<HttpResponse<String>> responses;
        try (HttpClient client = HttpClient.newHttpClient();
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var latch = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sent.add(threads.submit(() -> {
                    latch.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            latch.countDown();
            responses = new java.util.ArrayList<>();
            for (var response : sent) {
                responses.add(response.get());
            }
        }

        UUID orderId = Orders.orderIdFor(key);
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(202, 409).contains(202);
        assertThat(responses).filteredOn(response -> response.statusCode() == 202)
                .allSatisfy(response -> assertThat(response.body()).contains(orderId.toString()));
        assertThat(responses).filteredOn(response -> response.statusCode() == 409)
                .allSatisfy(response -> assertThat(response.body()).contains(OrderProblems.KEY_IN_FLIGHT));
        // one order ID; each 202 published it once (the ledgers absorb the repeats), no 409 published anything
        long accepted = responses.stream().filter(response -> response.statusCode() == 202).count();
        // every partition read to the end it has now (a marker order would say nothing of the other partitions)
        pendingOrders.readToEnd();
        assertThat(pendingOrders.keyed(orderId.toString())).hasSize((int) accepted)
                .extracting(ConsumerRecord::key).containsOnly(orderId.toString());
    }

    @Test
    void expiredKeyIsForgottenAndDeletedByTheCleanup() {
        String key = "checkout-" + UUID.randomUUID();
        String stale = "checkout-" + UUID.randomUUID();
        // given two keys used 25 hours ago, one with another order
        for (String old : List.of(key, stale)) {
            jdbc.update("""
                    insert into idempotency_key (idempotency_key, fingerprint, order_id, created_at, expires_at)
                    values (?, ?, ?, now() - interval '25 hours', now() - interval '1 hour')""",
                    old, "0".repeat(64), Orders.orderIdFor(old));
        }

        // then the key names a new order
        assertThat(place(ORDER, key)).isEqualTo(Orders.orderIdFor(key));
        // and the cleanup deletes the one nobody used again, not the one just used
        scheduledTasks.getScheduledTasks().stream()
                .filter(task -> task.toString().contains("deleteExpired"))
                .findFirst().orElseThrow().getTask().getRunnable().run();
        assertThat(jdbc.queryForList("select idempotency_key from idempotency_key where idempotency_key in (?, ?)",
                String.class, key, stale)).containsExactly(key);
    }

    @Test
    void keyedPostWhileTheKeyStoreIsDownIs503AndUnkeyedPostIsAccepted() {
        postgres.stop();
        try {
            http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                    .header("Idempotency-Key", "checkout-" + UUID.randomUUID())
                    .body(ORDER)
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().valueEquals("Retry-After", "5")
                    .expectBody().jsonPath("$.type").isEqualTo(OrderProblems.KEY_STORE_UNAVAILABLE);

            place(ORDER, null);
        }
        finally {
            postgres.start();
        }
    }

    @Test
    void contractIsPublishedAsOpenApiWithEveryLimitAndProblemType() {
        String docs = new String(http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody(), UTF_8);

        assertThat(docs).contains("/orders", "Idempotency-Key", "\"maxItems\":100", "\"maxLength\":200",
                "\"maxLength\":64", "\"maxLength\":320", "\"maximum\":1000", "512 KiB",
                OrderProblems.INVALID_ORDER, OrderProblems.MALFORMED_JSON, OrderProblems.PAYLOAD_TOO_LARGE,
                OrderProblems.UNSUPPORTED_MEDIA_TYPE, OrderProblems.NOT_ACKNOWLEDGED, OrderProblems.KEY_IN_FLIGHT,
                OrderProblems.KEY_REUSED, OrderProblems.KEY_STORE_UNAVAILABLE);
        http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void topicIsDeclaredAsDesigned() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of("pedidos-pendentes"))
                    .allTopicNames().get().get("pedidos-pendentes");
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "pedidos-pendentes");
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

            assertThat(description.partitions()).hasSize(6)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
            assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
        }
    }

    @Test
    void chunkedBodyOver512KiBIs413() throws Exception {
        String tooLarge = ORDER + " ".repeat(OrderControllerTest.MAX_BODY_BYTES);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json")
                // An unknown length makes the client send Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge.getBytes(UTF_8))))
                .build();

        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE.value());
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains(OrderProblems.PAYLOAD_TOO_LARGE);
        }
    }

    @Test
    void declaredBodyOver512KiBIs413() {
        String tooLarge = ORDER + " ".repeat(OrderControllerTest.MAX_BODY_BYTES);

        http.post().uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .body(tooLarge.getBytes(UTF_8))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void healthIsUp() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    private UUID place(String json, String idempotencyKey) {
        var request = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        Map<String, Object> body = request.body(json).exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();
        return UUID.fromString((String) body.get("orderId"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), UTF_8);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
