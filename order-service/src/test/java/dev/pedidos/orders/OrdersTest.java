package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.pedidos.events.OrderItem;
import dev.pedidos.orders.PlaceOrderRequest.Customer;
import dev.pedidos.orders.PlaceOrderRequest.Item;
import org.junit.jupiter.api.Test;

class OrdersTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:30:00Z");

    private final Orders orders = new Orders(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void totalIsExact() {
        var items = List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19.99")));

        assertThat(Orders.totalOf(items, "BRL")).isEqualTo(new BigDecimal("59.97"));
    }

    @Test
    void totalDoesNotDriftLikeBinaryFloatingPoint() {
        // 0.1 + 0.2 as doubles is 0.30000000000000004; a thousand cents as doubles is not 10.00.
        var items = List.of(
                new Item("A", "a", 1, new BigDecimal("0.1")),
                new Item("B", "b", 1, new BigDecimal("0.2")),
                new Item("C", "c", 1000, new BigDecimal("0.01")));

        assertThat(Orders.totalOf(items, "BRL")).isEqualTo(new BigDecimal("10.30"));
    }

    @Test
    void totalHasCentsScaleEvenForWholePrices() {
        var items = List.of(new Item("A", "a", 2, new BigDecimal("5")), new Item("B", "b", 1, new BigDecimal("0")));

        assertThat(Orders.totalOf(items, "BRL")).isEqualTo(new BigDecimal("10.00"));
    }

    @Test
    void largestOrderIsExact() {
        var items = Collections.nCopies(100, new Item("A", "a", 1000, new BigDecimal("999999999999.99")));

        assertThat(Orders.totalOf(items, "BRL")).isEqualTo(new BigDecimal("99999999999999000.00"));
    }

    @Test
    void sameIdempotencyKeyGivesSameOrderId() {
        assertThat(Orders.orderIdFor("checkout-7f3a")).isEqualTo(Orders.orderIdFor("checkout-7f3a"));
    }

    @Test
    void differentIdempotencyKeysGiveDifferentOrderIds() {
        assertThat(Orders.orderIdFor("checkout-7f3a")).isNotEqualTo(Orders.orderIdFor("checkout-7f3b"));
    }

    @Test
    void keyedOrderIdIsANamespacedVersion3Uuid() {
        UUID id = Orders.orderIdFor("checkout-7f3a");

        assertThat(id.version()).isEqualTo(3);
        assertThat(id.variant()).isEqualTo(2); // RFC 9562 variant
        // Namespaced: not the plain MD5 UUID of the key alone.
        assertThat(id).isNotEqualTo(UUID.nameUUIDFromBytes("checkout-7f3a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keyedOrderIdMatchesRfc9562Version3() {
        // Expected values from an independent implementation: Python's uuid.uuid3(namespace, key).
        // Pinned: a change here would give a retried request a new order ID, i.e. a duplicate order.
        assertThat(Orders.orderIdFor("checkout-7f3a")).hasToString("3989ee1d-f1a2-3ec7-b167-464217c69330");
        assertThat(Orders.orderIdFor("pedido-ção")).hasToString("bd355a13-cd0a-3472-839b-ded8533a2baa");
    }

    @Test
    void withoutKeyEachOrderGetsARandomId() {
        UUID first = Orders.orderIdFor(null);
        UUID second = Orders.orderIdFor(null);

        assertThat(first).isNotEqualTo(second);
        assertThat(first.version()).isEqualTo(4);
    }

    @Test
    void acceptedOrderBecomesAnOrderCreatedEvent() {
        UUID orderId = UUID.randomUUID();
        var request = new PlaceOrderRequest(new Customer(null, "Ana", "ana@example.com"),
                List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19.99")),
                        new Item("SKU-2", "Prato", 1, new BigDecimal("7.5"))),
                null);

        var event = orders.accept(orderId, request);

        assertThat(event.orderId()).isEqualTo(orderId);
        assertThat(event.eventId()).isNotNull().isNotEqualTo(orderId);
        assertThat(event.occurredAt()).isEqualTo(NOW);
        assertThat(event.customer()).isEqualTo(new dev.pedidos.events.Customer(null, "Ana", "ana@example.com"));
        assertThat(event.items()).containsExactly(
                new OrderItem("SKU-1", "Caneca", 3, new BigDecimal("19.99")),
                new OrderItem("SKU-2", "Prato", 1, new BigDecimal("7.50")));
        assertThat(event.currency()).isEqualTo("BRL");
        assertThat(event.totalAmount()).isEqualTo(new BigDecimal("67.47"));
    }

    @Test
    void eachPublicationGetsItsOwnEventId() {
        var request = new PlaceOrderRequest(new Customer(null, "Ana", "ana@example.com"),
                List.of(new Item("SKU-1", "Caneca", 1, BigDecimal.ONE)), "BRL");
        UUID orderId = Orders.orderIdFor("retry-me");

        assertThat(orders.accept(orderId, request).eventId()).isNotEqualTo(orders.accept(orderId, request).eventId());
    }
    @Test
    void fingerprintIsTheOrderNotItsSpelling() {
        var order = new PlaceOrderRequest(new Customer("c-1", "Ana", "ana@example.com"),
                List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19.9"))), null);
        var sameOrder = new PlaceOrderRequest(new Customer("c-1", "Ana", "ana@example.com"),
                List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19.90"))), "BRL");

        assertThat(Orders.fingerprint(order)).matches("[0-9a-f]{64}").isEqualTo(Orders.fingerprint(sameOrder));
    }

    @Test
    void fingerprintChangesWithAnyValue() {
        var order = new PlaceOrderRequest(new Customer("c-1", "Ana", "ana@example.com"),
                List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19.90"))), "BRL");

        assertThat(java.util.stream.Stream.of(
                new PlaceOrderRequest(new Customer(null, "Ana", "ana@example.com"), order.items(), "BRL"),
                new PlaceOrderRequest(new Customer("c-1", "Ana ", "ana@example.com"), order.items(), "BRL"),
                new PlaceOrderRequest(order.customer(), order.items(), "USD"),
                new PlaceOrderRequest(order.customer(), List.of(new Item("SKU-1", "Caneca", 4, new BigDecimal("19.90"))), "BRL"),
                new PlaceOrderRequest(order.customer(), List.of(new Item("SKU-1", "Caneca", 3, new BigDecimal("19.91"))), "BRL"),
                new PlaceOrderRequest(order.customer(), List.of(new Item("SKU-1C", "aneca", 3, new BigDecimal("19.90"))), "BRL"))
                .map(Orders::fingerprint))
                .doesNotHaveDuplicates()
                .doesNotContain(Orders.fingerprint(order));
    }
}
