package dev.pedidos.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

class InvoicesTest {

    private static final UUID ORDER_ID = UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d");
    private static final Instant ACCEPTED = Instant.parse("2025-11-21T12:00:00Z");
    private static final Customer CUSTOMER = new Customer("c-42", "Ana Souza", "ana@example.com");

    private static OrderCreated order(String totalAmount, OrderItem... items) {
        return new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, CUSTOMER, List.of(items), "BRL",
                new BigDecimal(totalAmount));
    }

    @Test
    void totalsAreExactSumsOfQuantityTimesUnitPrice() {
        // given prices that binary floating point cannot represent (0.1 + 0.2 != 0.3 as double)
        OrderCreated order = order("1.90",
                new OrderItem("SKU-1", "Caneta", 3, new BigDecimal("0.10")),
                new OrderItem("SKU-2", "Borracha", 8, new BigDecimal("0.20")));

        // when
        Invoice invoice = Invoices.issue(order);

        // then
        assertThat(invoice.lines()).extracting(Invoice.Line::lineTotal)
                .containsExactly(new BigDecimal("0.30"), new BigDecimal("1.60"));
        assertThat(invoice.total()).isEqualTo(new BigDecimal("1.90"));
        assertThat(invoice.currency()).isEqualTo("BRL");
    }

    @Test
    void amountsCarryTheCurrencysMinorUnit() {
        // given a whole unit price in BRL (minor unit 2)
        OrderCreated order = order("2", new OrderItem("SKU-1", "Caneca", 2, BigDecimal.ONE));

        // when
        Invoice invoice = Invoices.issue(order);

        // then
        assertThat(invoice.lines().getFirst().unitPrice()).hasToString("1.00");
        assertThat(invoice.lines().getFirst().lineTotal()).hasToString("2.00");
        assertThat(invoice.total()).hasToString("2.00");
    }

    @Test
    void yenAmountsHaveNoDecimals() {
        OrderCreated order = new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, CUSTOMER,
                List.of(new OrderItem("SKU-1", "Caneca", 3, new BigDecimal("500.00"))), "JPY", new BigDecimal("1500"));

        assertThat(Invoices.issue(order).total()).hasToString("1500");
    }

    @Test
    void priceWithMoreDecimalsThanItsCurrencyIsRejected() {
        OrderCreated order = order("0.01", new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("0.005")));

        assertThatIllegalArgumentException().isThrownBy(() -> Invoices.issue(order)).withMessageContaining("decimals");
    }

    @Test
    void currencyWithoutMinorUnitIsRejected() {
        OrderCreated order = new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, CUSTOMER,
                List.of(new OrderItem("SKU-1", "Caneca", 1, BigDecimal.ONE)), "XXX", BigDecimal.ONE);

        assertThatIllegalArgumentException().isThrownBy(() -> Invoices.issue(order)).withMessageContaining("XXX");
    }

    @Test
    void invoiceCarriesOrderCustomerLinesAndAcceptanceTime() {
        // given
        OrderCreated order = order("79.80", new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90")));

        // when
        Invoice invoice = Invoices.issue(order);

        // then
        assertThat(invoice.orderId()).isEqualTo(ORDER_ID);
        assertThat(invoice.customer()).isEqualTo(CUSTOMER);
        assertThat(invoice.lines()).containsExactly(new Invoice.Line("SKU-1", "Caneca azul", 2,
                new BigDecimal("39.90"), new BigDecimal("79.80")));
        assertThat(invoice.issuedAt()).isEqualTo(ACCEPTED);
    }

    @Test
    void numberIsDerivedFromTheOrderIdAlone() {
        // given two events of the same order (a republished order has a new eventId)
        OrderItem item = new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("10.00"));

        // when
        Invoice first = Invoices.issue(order("10.00", item));
        Invoice again = Invoices.issue(order("10.00", item));

        // then
        assertThat(first.number()).isEqualTo("INV-1A2B3C4D5E6F");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void totalIsComparedByValueNotByScale() {
        // given 10.0 stated, 10.00 computed
        OrderCreated order = order("10.0", new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("10.00")));

        // when / then
        assertThat(Invoices.issue(order).total()).isEqualByComparingTo("10.0");
    }

    @Test
    void statedTotalThatDiffersFromTheItemsIsRejected() {
        // given items adding up to 79.80, one cent less stated
        OrderCreated order = order("79.79", new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90")));

        // when / then
        assertThatIllegalArgumentException().isThrownBy(() -> Invoices.issue(order))
                .withMessageContaining(ORDER_ID.toString())
                .withMessageContaining("totalAmount 79.79")
                .withMessageContaining("79.80");
    }

    @Test
    void orderWithoutItemsIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Invoices.issue(order("0")))
                .withMessageContaining("has no items");
    }

    @Test
    void itemWithoutPositiveQuantityIsRejected() {
        OrderCreated order = order("0", new OrderItem("SKU-1", "Caneca", 0, new BigDecimal("10.00")));

        assertThatIllegalArgumentException().isThrownBy(() -> Invoices.issue(order))
                .withMessageContaining("SKU-1 has quantity 0");
    }

    @Test
    void orderWithoutCustomerEmailIsRejected() {
        OrderCreated order = new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, new Customer("c-42", "Ana Souza", null),
                List.of(new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("10.00"))), "BRL", new BigDecimal("10.00"));

        assertThatIllegalArgumentException().isThrownBy(() -> Invoices.issue(order))
                .withMessageContaining("has no customer with name and email");
    }

    @Test
    void guestCheckoutWithoutCustomerIdIsInvoiced() {
        // given an order placed without a customer ID, as order-service accepts it
        Customer guest = new Customer(null, "Ana Souza", "ana@example.com");
        OrderCreated order = new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, guest,
                List.of(new OrderItem("SKU-1", "Caneca", 2, new BigDecimal("10.00"))), "BRL", new BigDecimal("20.00"));

        // when
        Invoice invoice = Invoices.issue(order);

        // then
        assertThat(invoice.customer()).isEqualTo(guest);
        assertThat(invoice.total()).isEqualByComparingTo("20.00");
        assertThat(Invoices.fingerprint(invoice)).isNotEqualTo(Invoices.fingerprint(Invoices.issue(new OrderCreated(
                UUID.randomUUID(), ORDER_ID, ACCEPTED, CUSTOMER, order.items(), "BRL", new BigDecimal("20.00")))));
    }

    @Test
    void fingerprintIgnoresEventIdAndAcceptanceTime() {
        // given the same order published twice, as a POST retried with the same Idempotency-Key does
        OrderItem item = new OrderItem("SKU-1", "Caneca", 2, new BigDecimal("19.90"));
        OrderCreated first = order("39.80", item);
        OrderCreated retried = new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED.plusSeconds(30), CUSTOMER,
                List.of(item), "BRL", new BigDecimal("39.80"));

        // when / then
        assertThat(Invoices.fingerprint(Invoices.issue(retried))).isEqualTo(Invoices.fingerprint(Invoices.issue(first)))
                .hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void fingerprintComparesAmountsByValue() {
        // given 19.9 and 19.90
        OrderCreated cents = order("39.80", new OrderItem("SKU-1", "Caneca", 2, new BigDecimal("19.90")));
        OrderCreated tenths = order("39.8", new OrderItem("SKU-1", "Caneca", 2, new BigDecimal("19.9")));

        // when / then
        assertThat(Invoices.fingerprint(Invoices.issue(tenths))).isEqualTo(Invoices.fingerprint(Invoices.issue(cents)));
    }

    @Test
    void fingerprintDiffersWhenWhatIsBilledDiffers() {
        // given an order and variants of it that bill something else
        OrderItem item = new OrderItem("SKU-1", "Caneca", 2, new BigDecimal("19.90"));
        String original = Invoices.fingerprint(Invoices.issue(order("39.80", item)));
        List<OrderCreated> variants = List.of(
                order("59.70", new OrderItem("SKU-1", "Caneca", 3, new BigDecimal("19.90"))),
                order("39.80", new OrderItem("SKU-2", "Caneca", 2, new BigDecimal("19.90"))),
                order("39.80", new OrderItem("SKU-1", "Caneca grande", 2, new BigDecimal("19.90"))),
                order("39.80", new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.90")),
                        new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.90"))),
                new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, CUSTOMER, List.of(item), "USD", new BigDecimal("39.80")),
                new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, new Customer("c-43", "Ana Souza", "ana@example.com"),
                        List.of(item), "BRL", new BigDecimal("39.80")),
                new OrderCreated(UUID.randomUUID(), ORDER_ID, ACCEPTED, new Customer("c-42", "Ana", "Souza ana@example.com"),
                        List.of(item), "BRL", new BigDecimal("39.80")));

        // when / then every variant is a conflict, not a duplicate
        assertThat(variants).map(variant -> Invoices.fingerprint(Invoices.issue(variant)))
                .doesNotContain(original).doesNotHaveDuplicates();
    }
}
