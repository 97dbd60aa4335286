package dev.pedidos.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.events.OrderStatusChanged.Stage;
import dev.pedidos.infra.PostgresServer;

/**
 * Exactly one invoice per order ID (DESIGN G4) across redelivery, republished orders, a stopped
 * consumer and a database that goes away, on the real cluster and PostgreSQL.
 */
abstract class ExactlyOnceBillingContract extends BillingIntegrationSupport {

    @Autowired
    private KafkaListenerEndpointRegistry registry;

    @Autowired
    private PostgresServer postgres;

    @Test
    void recordDeliveredTwiceIsInvoicedOnce(CapturedOutput output) throws Exception {
        // given an invoiced order
        OrderCreated order = order(UUID.randomUUID(), "SKU-1", 2);
        RecordMetadata sent = send(order);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.find(order.orderId())).isPresent());

        // when the group's committed offset of its partition is moved back to it while the listener is stopped
        MessageListenerContainer container = registry.getListenerContainer(BillingListener.ID);
        container.stop();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            // (refused while the group still has members; they leave as the consumers close)
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> admin.alterConsumerGroupOffsets("billing",
                    Map.of(new TopicPartition(SOURCE, sent.partition()), new OffsetAndMetadata(sent.offset()))).all().get());
        }
        finally {
            container.start();
        }

        // then the record is delivered again and skipped as a duplicate of its own invoice
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Skipped duplicate of order " + order.orderId()))
                .singleElement().asString().contains(
                        "partition %d, offset %d)".formatted(sent.partition(), sent.offset()),
                        "from partition %d, offset %d".formatted(sent.partition(), sent.offset())));
        assertThat(invoiceRows(List.of(order.orderId()))).containsEntry(order.orderId(), 1);
        assertThat(linesWith(output, "Invoiced order " + order.orderId())).hasSize(1);
        // and its INVOICED step is published again, from the same record, with the same invoice number
        List<OrderStatusChanged> steps = steps(order.orderId(), Stage.INVOICED, 2).stream()
                .map(BillingIntegrationSupport::step).toList();
        assertThat(steps).hasSize(2).allSatisfy(step -> {
            assertThat(step.sourcePartition()).isEqualTo(sent.partition());
            assertThat(step.sourceOffset()).isEqualTo(sent.offset());
            assertThat(step.invoice().number()).isEqualTo(ledger.find(order.orderId()).orElseThrow().invoice().number());
        });
        assertThat(steps.get(0).eventId()).isNotEqualTo(steps.get(1).eventId());
    }

    @Test
    void orderPublishedTwiceByARetriedPostIsInvoicedOnce(CapturedOutput output) {
        // given an order and its republication: same order ID and content, new eventId and occurredAt
        OrderCreated first = order(UUID.randomUUID(), "SKU-1", 2);
        OrderCreated retried = new OrderCreated(UUID.randomUUID(), first.orderId(), first.occurredAt().plusSeconds(5),
                first.customer(), first.items(), first.currency(), first.totalAmount());

        // when
        RecordMetadata firstSent = send(first);
        RecordMetadata retriedSent = send(retried);

        // then the second is a duplicate of the first, which is the invoice
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Skipped duplicate of order " + first.orderId()))
                .singleElement().asString().contains("INFO",
                        "partition %d, offset %d)".formatted(retriedSent.partition(), retriedSent.offset()),
                        "from partition %d, offset %d".formatted(firstSent.partition(), firstSent.offset())));
        assertThat(invoiceRows(List.of(first.orderId()))).containsEntry(first.orderId(), 1);
        assertThat(ledger.find(first.orderId())).hasValueSatisfying(stored -> {
            assertThat(stored.offset()).isEqualTo(firstSent.offset());
            // (PostgreSQL keeps microseconds, rounded)
            assertThat(stored.invoice().issuedAt()).isCloseTo(first.occurredAt(), within(1, ChronoUnit.MICROS));
        });
        assertThat(linesWith(output, "conflict for order " + first.orderId())).isEmpty();
        // and each record published the INVOICED step of the one invoice
        assertThat(steps(first.orderId(), Stage.INVOICED, 2)).map(BillingIntegrationSupport::step)
                .satisfiesExactlyInAnyOrder(
                        step -> assertThat(step.sourceOffset()).isEqualTo(firstSent.offset()),
                        step -> assertThat(step.sourceOffset()).isEqualTo(retriedSent.offset()))
                .extracting(step -> step.invoice().number()).containsOnly(ledger.find(first.orderId()).orElseThrow()
                        .invoice().number());
    }

    @Test
    void consumerStoppedMidStreamResumesWithoutGapOrDuplicate() {
        // given a stream of orders the group is billing
        List<OrderCreated> before = orders(1000);
        List<OrderCreated> whileStopped = orders(500);
        MessageListenerContainer container = registry.getListenerContainer(BillingListener.ID);
        List<RecordMetadata> sent = new ArrayList<>(sendAll(before));
        List<UUID> beforeIds = before.stream().map(OrderCreated::orderId).toList();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> !invoiceRows(beforeIds).isEmpty());

        // when the consumers stop in the middle of it, more orders arrive, and they start again
        container.stop();
        try {
            sent.addAll(sendAll(whileStopped));
        }
        finally {
            container.start();
        }

        // then every order is invoiced, once, from its own record
        List<OrderCreated> all = new ArrayList<>(before);
        all.addAll(whileStopped);
        List<UUID> ids = all.stream().map(OrderCreated::orderId).toList();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(invoiceRows(ids)).hasSize(ids.size()));
        assertThat(invoiceRows(ids)).allSatisfy((orderId, rows) -> assertThat(rows).isEqualTo(1));
        assertThat(IntStream.range(0, all.size())).allSatisfy(i -> assertThat(ledger.find(ids.get(i)))
                .hasValueSatisfying(stored -> assertThat(stored.offset()).isEqualTo(sent.get(i).offset())));
    }

    @Test
    void ordersWaitForAStoppedDatabaseAndAreInvoicedOnceWhenItReturns(CapturedOutput output) {
        // given a stream of orders
        List<OrderCreated> orders = orders(1200);
        List<UUID> ids = orders.stream().map(OrderCreated::orderId).toList();

        try {
            // when PostgreSQL stops in the middle of it (likely under open transactions of the listener)
            sendAll(orders.subList(0, 1000));
            postgres.stop();
            sendAll(orders.subList(1000, 1200));

            // then health is DOWN
            await().atMost(PATIENCE).untilAsserted(() -> {
                var health = get("/actuator/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(body(health).get("status").asString()).isEqualTo("DOWN");
            });
            // and records are retried beyond the two retries a processing failure gets, not dead-lettered
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Delivery 4 of order")).isNotEmpty());
        }
        finally {
            postgres.start();
        }

        // then, once it is back, every order is invoiced exactly once and health is UP
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(invoiceRows(ids)).hasSize(ids.size()));
        assertThat(invoiceRows(ids)).allSatisfy((orderId, rows) -> assertThat(rows).isEqualTo(1));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(get("/actuator/health").statusCode()).isEqualTo(200));
        // and none of them went to the dead-letter topic
        assertThat(deadLetterKeys()).doesNotContainAnyElementsOf(ids.stream().map(UUID::toString).toList());
        assertThat(linesWith(output, "Dead-lettered order")).isEmpty();
    }
}
