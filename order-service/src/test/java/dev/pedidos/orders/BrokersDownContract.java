package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.pedidos.infra.KafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * G2 with every broker down: order-service answers 503 with {@code Retry-After} within 10 s, and
 * the order it answered 503 for is never written, not even once the brokers are back.
 */
@OrderServiceIntegrationTest
abstract class BrokersDownContract {

    private static final String ORDER = """
            {"customer": {"name": "Ana", "email": "ana@example.com"},
             "items": [{"sku": "SKU-1", "name": "Caneca", "quantity": 1, "unitPrice": 19.99}]}
            """;

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private KafkaCluster cluster;

    @Autowired
    private TopicProperties topic;

    @LocalServerPort
    private int port;

    @AfterEach
    void restoreCluster() {
        cluster.startAll();
    }

    @Test
    void noBrokerMeans503WithinTenSecondsAndNothingWritten() {
        refusedWithin10s("brokers-down-", cluster::stopAll, true);
    }

    @Test
    void oneBrokerLeftIsTooFewInSyncReplicasAnd503() {
        // min.insync.replicas=2: with one broker of three, no write can be acknowledged (G1). The
        // outcome of a 503 is unknown here (G2): the leader may have appended the record while it
        // still counted the dead followers in sync, and it commits once they are back; the client's
        // retry with the same Idempotency-Key then carries the same order ID, which the consumers' ledgers absorb.
        refusedWithin10s("one-broker-left-", () -> {
            cluster.killBroker(2);
            cluster.killBroker(3);
        }, false);
    }

    /**
     * Takes brokers down, POSTs an order, expects a 503 problem with Retry-After within 10 s, brings
     * the brokers back, optionally checks that the order was never written, and checks that the
     * client's retry with the same Idempotency-Key records it under the same order ID.
     */
    private void refusedWithin10s(String keyPrefix, Runnable takeBrokersDown, boolean neverWritten) {
        RestTestClient http = RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        String key = keyPrefix + UUID.randomUUID();
        String orderId = Orders.orderIdFor(key).toString();
        // The producer knows the topic's metadata already, as it does in production.
        post(http, "warm-up-" + UUID.randomUUID()).expectStatus().isAccepted();

        takeBrokersDown.run();
        long start = System.nanoTime();
        EntityExchangeResult<Map<String, Object>> refused = post(http, key)
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON_OBJECT).returnResult();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).matches("[1-9][0-9]*");
        assertThat(refused.getResponseBody())
                .containsEntry("type", OrderProblems.NOT_ACKNOWLEDGED)
                .containsEntry("orderId", orderId);

        cluster.startAll();
        try (var pendingOrders = new PendingOrders(cluster.bootstrapServers(), topic.name())) {
            if (neverWritten) {
                assertThat(pendingOrders.readToEnd()).noneMatch(record -> orderId.equals(record.key()));
                // Longer than delivery.timeout.ms: a record still held by the producer would show up now.
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                        .until(() -> pendingOrders.poll().stream().noneMatch(record -> orderId.equals(record.key())));
            }

            // The client's retry with the same key records the order under the same ID.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> post(http, key).returnResult().getStatus().value() == 202);
            assertThat(pendingOrders.awaitKeyed(orderId, 1)).isNotEmpty();
        }
    }

    private static RestTestClient.ResponseSpec post(RestTestClient http, String idempotencyKey) {
        return http.post().uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(ORDER)
                .exchange();
    }
}
