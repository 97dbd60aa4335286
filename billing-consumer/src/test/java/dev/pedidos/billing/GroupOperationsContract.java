package dev.pedidos.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.groups.lag.ConsumerGroupLag;
import tools.jackson.databind.JsonNode;

/**
 * The operator's side of billing (issue 10, DESIGN G10) on the real cluster: dead letters listed and
 * replayed into this group only, a rewind under load, the metrics, and the admin credentials.
 */
abstract class GroupOperationsContract extends BillingIntegrationSupport {

    static final String REPLAY = "pedidos-pendentes-billing-replay";

    @Autowired
    FailureSwitch failureSwitch;

    @Autowired
    ConsumerGroupLag lag;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void poisonRecordIsListedAndAReplayThatFailsAgainIsBackWithItsReplayCount(CapturedOutput output) {
        // given a record that is not JSON, produced straight to the source topic
        UUID orderId = UUID.randomUUID();
        RecordMetadata sent = send(new ProducerRecord<>(SOURCE, orderId.toString(), "{\"not json".getBytes(UTF_8)));

        // then it is listed among the dead letters, with where it came from and why
        JsonNode entry = awaitDeadLetter(orderId, 0);
        assertThat(entry.get("originalTopic").asString()).isEqualTo(SOURCE);
        assertThat(entry.get("originalPartition").asInt()).isEqualTo(sent.partition());
        assertThat(entry.get("originalOffset").asLong()).isEqualTo(sent.offset());
        assertThat(entry.get("exceptionClass").asString()).endsWith("DeserializationException");
        assertThat(entry.get("replayState").asString()).isEqualTo("NOT_REPLAYED");
        assertThat(entry.get("deadLetteredAt").asString()).isNotBlank();

        // when it is replayed by its coordinates
        HttpResponse<String> replay = post("/dead-letters/replay", """
                {"partition": %d, "offset": %d}""".formatted(entry.get("partition").asInt(), entry.get("offset").asLong()),
                true);

        // then it went to billing's replay topic, on its partition, with its bytes and a replay count
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonNode replayed = body(replay).get("replayed").get(0);
        assertThat(replayed.get("topic").asString()).isEqualTo(REPLAY);
        assertThat(replayed.get("partition").asInt()).isEqualTo(sent.partition());
        assertThat(replayed.get("replayCount").asInt()).isEqualTo(1);
        // it fails again and is back in the dead-letter topic with replay count 1, the first one marked FAILED_AGAIN
        JsonNode again = awaitDeadLetter(orderId, 1);
        assertThat(again.get("originalTopic").asString()).isEqualTo(SOURCE);
        assertThat(again.get("originalOffset").asLong()).isEqualTo(sent.offset());
        assertThat(again.get("replayState").asString()).isEqualTo("NOT_REPLAYED");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deadLettersOf(orderId))
                .anySatisfy(first -> {
                    assertThat(first.get("replayCount").asInt()).isZero();
                    assertThat(first.get("replayState").asString()).isEqualTo("FAILED_AGAIN");
                }));
        assertThat(linesWith(output, "Replayed order " + orderId)).singleElement().asString()
                .contains("group billing", "replay 1");
        // and nothing loops: two dead letters, no more, while the group goes on billing
        OrderCreated next = order(UUID.randomUUID(), "SKU-AFTER", 1);
        send(next);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(next.orderId())).isPresent());
        assertThat(deadLettersOf(orderId)).hasSize(2);
    }

    @Test
    void aFailureThatWentAwayIsInvoicedOnceByTheReplayWhichShowsInTheJourney(CapturedOutput output) {
        // given an order whose invoice cannot be recorded for now: it is dead-lettered
        OrderCreated order = order(UUID.randomUUID(), "SKU-SWITCH", 2);
        failureSwitch.failing.add(order.orderId());
        send(order);
        awaitDeadLetter(order.orderId(), 0);
        assertThat(ledger.find(order.orderId())).isEmpty();

        // when the cause is gone and the operator replays the order, twice at once (a double click)
        failureSwitch.failing.remove(order.orderId());
        String byOrder = """
                {"orderId": "%s"}""".formatted(order.orderId());
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
                () -> post("/dead-letters/replay", byOrder, true), Thread.ofPlatform()::start);
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(
                () -> post("/dead-letters/replay", byOrder, true), Thread.ofPlatform()::start);
        List<HttpResponse<String>> replays = List.of(first.join(), second.join());

        // then one of the requests replayed it, and it is invoiced, once
        assertThat(replays).allSatisfy(replay -> assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200));
        assertThat(replays).as("dead letters replayed by each request")
                .extracting(replay -> body(replay).get("replayed").size()).containsExactlyInAnyOrder(1, 0);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(order.orderId())).hasValueSatisfying(
                stored -> assertThat(stored.invoice().total()).isEqualByComparingTo(order.totalAmount())));
        assertThat(linesWith(output, "Invoiced order " + order.orderId())).hasSize(1);
        // the dead letter says so
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deadLettersOf(order.orderId())).singleElement()
                .satisfies(entry -> assertThat(entry.get("replayState").asString()).isEqualTo("REPLAYED")));
        // and a REPLAYED step of group billing is on the status topic, naming the dead letter
        JsonNode step = awaitStep(order.orderId(), "REPLAYED");
        assertThat(step.get("group").asString()).isEqualTo("billing");
        assertThat(step.get("replay").get("deadLetterTopic").asString()).isEqualTo(DEAD_LETTERS);
        assertThat(step.get("replay").get("replayCount").asInt()).isEqualTo(1);
        // a second replay request for the order finds nothing left to replay
        assertThat(body(post("/dead-letters/replay", """
                {"orderId": "%s"}""".formatted(order.orderId()), true)).get("replayed")).isEmpty();
    }

    @Test
    void rewoundTenMinutesUnderAStreamOfOrdersTheGroupInvoicesNothingTwice(CapturedOutput output) throws Exception {
        // given orders already invoiced
        List<OrderCreated> before = orders(30);
        sendAll(before);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(before)
                .allSatisfy(order -> assertThat(ledger.find(order.orderId())).isPresent()));
        // and a stream of new orders
        List<OrderCreated> during = new CopyOnWriteArrayList<>();
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = Thread.ofPlatform().start(() -> {
            int i = 0;
            while (streaming.get()) {
                OrderCreated order = order(UUID.randomUUID(), "SKU-STREAM-" + i++, 1);
                send(order);
                during.add(order);
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        });

        // when billing, running, is rewound ten minutes
        await().atMost(PATIENCE).until(() -> during.size() >= 10);
        HttpResponse<String> rewind = post("/admin/rewind", """
                {"to": "%s"}""".formatted(Instant.now().minus(Duration.ofMinutes(10))), true);
        await().atMost(PATIENCE).until(() -> during.size() >= 40);
        streaming.set(false);
        stream.join();

        // then it says how many records it reads again, at least the orders above
        assertThat(rewind.statusCode()).as(rewind.body()).isEqualTo(200);
        assertThat(body(rewind).get("reRead").asLong()).isGreaterThanOrEqualTo(before.size());
        assertThat(body(rewind).get("skipped").asLong()).isZero();
        assertThat(linesWith(output, "Rewound group billing on " + SOURCE)).hasSize(1);
        // every order read again is skipped as a duplicate: no second invoice for an order already invoiced
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(before).allSatisfy(order ->
                assertThat(linesWith(output, "Skipped duplicate of order " + order.orderId())).isNotEmpty()));
        // and every order of the stream is invoiced, once
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(during)
                .allSatisfy(order -> assertThat(ledger.find(order.orderId())).isPresent()));
        // (looked at once the group has caught up, so that a second invoice in a later poll would show)
        await().atMost(PATIENCE).until(() -> ConsumerGroupLag.total(lag.of("billing", SOURCE)) == 0);
        List<OrderCreated> all = new ArrayList<>(before);
        all.addAll(during);
        assertThat(all).allSatisfy(order -> assertThat(linesWith(output, "Invoiced order " + order.orderId()))
                .as("order %s", order.orderId()).hasSize(1));
    }

    @Test
    void adminOperationsNeedCredentialsWhileReadsStayOpen() {
        // when / then
        assertThat(post("/dead-letters/replay", "{\"since\": \"2026-01-01T00:00:00Z\"}", false).statusCode()).isEqualTo(401);
        assertThat(post("/admin/rewind", "{\"to\": \"2026-01-01T00:00:00Z\"}", false).statusCode()).isEqualTo(401);
        assertThat(exchange(HttpRequest.newBuilder(uri("/admin/rewind"))
                .header("Authorization", basic("admin", "wrong")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"2026-01-01T00:00:00Z\"}"))).statusCode())
                .isEqualTo(401);
        assertThat(get("/dead-letters").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusCarriesKafkaHttpAndOurMetrics() {
        // given an order invoiced
        OrderCreated order = order(UUID.randomUUID(), "SKU-METRICS", 1);
        send(order);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(order.orderId())).isPresent());
        get("/invoices/" + order.orderId());

        // when / then
        await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> scrape = get("/actuator/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("pedidos_invoices_total{", "outcome=\"invoiced\"",
                    "pedidos_group_lag_records{group=\"billing\",partition=\"0\",topic=\"pedidos-pendentes\"}",
                    "kafka_consumer_fetch_manager_records_consumed_total", "http_server_requests_seconds_count");
        });
    }

    private JsonNode awaitDeadLetter(UUID orderId, int replayCount) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            found.clear();
            deadLettersOf(orderId).stream().filter(entry -> entry.get("replayCount").asInt() == replayCount)
                    .forEach(found::add);
            assertThat(found).hasSize(1);
        });
        return found.getFirst();
    }

    private List<JsonNode> deadLettersOf(UUID orderId) {
        HttpResponse<String> page = get("/dead-letters?size=500");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return StreamSupport.stream(body(page).get("entries").spliterator(), false)
                .filter(entry -> orderId.toString().equals(entry.get("orderId").asString(null))).toList();
    }

    private JsonNode awaitStep(UUID orderId, String stage) {
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(STATUS).stream()
                    .map(info -> new TopicPartition(STATUS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode step = JSON.readTree(record.value());
                    if (orderId.toString().equals(record.key()) && stage.equals(step.get("stage").asString())) {
                        found.add(step);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.getFirst();
    }

    private HttpResponse<String> post(String path, String json, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (admin) {
            request.header("Authorization", basic("admin", ADMIN_PASSWORD));
        }
        return exchange(request);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
