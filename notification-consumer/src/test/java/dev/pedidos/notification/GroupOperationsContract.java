package dev.pedidos.notification;

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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.groups.lag.LagGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The operator's side of notification (issue 10) on the real cluster: the lag gauge of a stopped
 * group, a rewind that e-mails nobody twice, and the admin credentials.
 */
abstract class GroupOperationsContract extends NotificationITSupport {

    @Autowired
    KafkaListenerEndpointRegistry registry;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void lagGaugeCountsTheOrdersOfAStoppedGroupAndDrainsAfterItsRestart() {
        // given the group caught up
        await().atMost(PATIENCE).until(() -> lag("notification") == 0);

        // when it is stopped and 1,000 orders are produced
        registry.getListenerContainers().forEach(MessageListenerContainer::stop);
        try {
            List<OrderCreated> orders = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                orders.add(order(UUID.randomUUID(), "SKU-LAG-" + i, 1));
            }
            List<Future<RecordMetadata>> sent = orders.stream().map(order -> producer.send(
                    new ProducerRecord<>(SOURCE, order.orderId().toString(), json(order)))).toList();
            for (Future<RecordMetadata> one : sent) {
                one.get();
            }

            // then the gauge, measured from the committed offsets with no consumer running, sums to 1,000
            await().atMost(PATIENCE).until(() -> lag("notification") == 1000);
        }
        catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
        finally {
            registry.getListenerContainers().forEach(MessageListenerContainer::start);
        }

        // and drains to 0 once it runs again
        await().atMost(Duration.ofMinutes(3)).until(() -> lag("notification") == 0);
    }

    @Test
    void rewoundTenMinutesUnderAStreamOfOrdersItEmailsNobodyTwice(CapturedOutput output) throws Exception {
        // given orders already e-mailed
        List<OrderCreated> before = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            OrderCreated order = order(UUID.randomUUID(), "SKU-REWIND-" + i, 1);
            send(order);
            before.add(order);
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(before)
                .allSatisfy(order -> assertThat(mails(order.orderId())).hasSize(1)));
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
                    Thread.sleep(50);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        });

        // when notification, running, is rewound ten minutes
        await().atMost(PATIENCE).until(() -> during.size() >= 10);
        HttpResponse<String> rewind = post("/admin/rewind", """
                {"to": "%s"}""".formatted(Instant.now().minus(Duration.ofMinutes(10))), true);
        await().atMost(PATIENCE).until(() -> during.size() >= 30);
        streaming.set(false);
        stream.join();

        // then it re-reads at least the orders above
        assertThat(rewind.statusCode()).as(rewind.body()).isEqualTo(200);
        assertThat(JSON.readTree(rewind.body()).get("reRead").asLong()).isGreaterThanOrEqualTo(before.size());
        // each order read again is found in the sent log and not e-mailed again
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(before).allSatisfy(order ->
                assertThat(linesWith(output, "Order " + order.orderId())).anySatisfy(line ->
                        assertThat(line).contains("already sent, not e-mailed again"))));
        // and, once the group has caught up, every order has exactly one e-mail
        await().atMost(Duration.ofMinutes(3)).until(() -> lag("notification") == 0);
        List<OrderCreated> all = new ArrayList<>(before);
        all.addAll(during);
        assertThat(all).allSatisfy(order -> assertThat(mails(order.orderId())).as("e-mails of %s", order.orderId())
                .hasSize(1));
    }

    @Test
    void adminOperationsNeedCredentialsWhileReadsStayOpen() {
        assertThat(post("/dead-letters/replay", "{\"since\": \"2026-01-01T00:00:00Z\"}", false).statusCode()).isEqualTo(401);
        assertThat(post("/admin/rewind", "{\"to\": \"2026-01-01T00:00:00Z\"}", false).statusCode()).isEqualTo(401);
        HttpResponse<String> deadLetters = exchange(HttpRequest.newBuilder(uri("/dead-letters")).GET());
        assertThat(deadLetters.statusCode()).isEqualTo(200);
        JsonNode page = JSON.readTree(deadLetters.body());
        assertThat(page.get("group").asString()).isEqualTo("notification");
        assertThat(page.get("topic").asString()).isEqualTo(DEAD_LETTERS);
        HttpResponse<String> scrape = exchange(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("pedidos_group_lag_records{group=\"notification\"");
    }

    /** @return the group's lag gauges summed over the partitions; NaN until measured */
    private double lag(String group) {
        return meters.find(LagGauges.NAME).tag("group", group).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    private HttpResponse<String> post(String path, String json, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (admin) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(UTF_8)));
        }
        return exchange(request);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
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
