package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.dao.DataAccessResourceFailureException;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.groups.deadletter.PermanentFailureException;
import dev.pedidos.notification.OrderConfirmations.Confirmation;
import dev.pedidos.notification.OrderConfirmations.Delivery;
import dev.pedidos.notification.OrderConfirmations.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The notification rule: the message composed for an order, and the sent-log protocol around the send. */
class OrderConfirmationsTest {

    private static final UUID ORDER_ID = UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d");

    private static OrderCreated order(Customer customer, OrderItem... items) {
        return new OrderCreated(UUID.randomUUID(), ORDER_ID, Instant.parse("2025-11-21T12:00:00Z"), customer,
                List.of(items), "BRL", new BigDecimal("129.70"));
    }

    private static final OrderItem MUGS = new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"));
    private static final OrderItem NOTEBOOK = new OrderItem("SKU-2", "Caderno", 1, new BigDecimal("49.90"));
    private static final OrderCreated ORDER = order(new Customer("c-1", "Ana Souza", "ana@example.com"), MUGS, NOTEBOOK);

    private final Notifier notifier = mock(Notifier.class);
    private final SentLog sentLog = mock(SentLog.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OrderConfirmations confirmations = new OrderConfirmations(notifier, sentLog, meters);

    @Test
    void isAddressedToTheCustomerWithTheOrderNumberInTheSubject() {
        // given
        OrderCreated order = order(new Customer("c-1", "Ana Souza", "ana@example.com"), MUGS, NOTEBOOK);

        // when
        OrderConfirmation message = OrderConfirmations.compose(order);

        // then
        assertThat(message.orderId()).isEqualTo(ORDER_ID);
        assertThat(message.messageId()).isEqualTo("<order-1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d@pedidos.dev>");
        assertThat(message.to()).isEqualTo("ana@example.com");
        assertThat(message.subject()).isEqualTo("Pedido 1A2B3C4D5E6F confirmado");
    }

    @Test
    void bodyGreetsTheCustomerAndListsEveryItemAndTheTotal() {
        // given
        OrderCreated order = order(new Customer("c-1", "Ana Souza", "ana@example.com"), MUGS, NOTEBOOK);

        // when
        String body = OrderConfirmations.compose(order).body();

        // then
        assertThat(body).isEqualTo("""
                Olá, Ana Souza!

                Recebemos o seu pedido 1A2B3C4D5E6F (1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d):

                - 2 × Caneca azul (SKU-1): 39.90 = 79.80 BRL
                - 1 × Caderno (SKU-2): 49.90 = 49.90 BRL

                Total: 129.70 BRL

                Obrigado pela compra!
                """);
    }

    @Test
    void amountsCarryTheCurrencysMinorUnit() {
        // given a whole price in BRL (two decimals) and a JPY order (none)
        OrderCreated brl = new OrderCreated(UUID.randomUUID(), ORDER_ID, Instant.parse("2025-11-21T12:00:00Z"),
                new Customer(null, "Ana", "ana@example.com"), List.of(new OrderItem("SKU-1", "Caneca", 2, BigDecimal.ONE)),
                "BRL", new BigDecimal("2"));
        OrderCreated jpy = new OrderCreated(UUID.randomUUID(), ORDER_ID, Instant.parse("2025-11-21T12:00:00Z"),
                new Customer(null, "Ana", "ana@example.com"),
                List.of(new OrderItem("SKU-1", "Caneca", 2, new BigDecimal("500.0"))), "JPY", new BigDecimal("1000.0"));

        // then
        assertThat(OrderConfirmations.compose(brl).body()).contains("2 × Caneca (SKU-1): 1.00 = 2.00 BRL")
                .contains("Total: 2.00 BRL");
        assertThat(OrderConfirmations.compose(jpy).body()).contains("2 × Caneca (SKU-1): 500 = 1000 JPY")
                .contains("Total: 1000 JPY");
    }

    @Test
    void customerWithoutNameIsGreetedPlainly() {
        OrderCreated order = order(new Customer(null, " ", "guest@example.com"), MUGS);

        assertThat(OrderConfirmations.compose(order).body()).startsWith("Olá!\n");
    }

    @Test
    void orderWithoutCustomerEmailCannotBeConfirmed() {
        OrderCreated order = order(new Customer("c-1", "Ana Souza", " "), MUGS);

        assertThatIllegalArgumentException().isThrownBy(() -> OrderConfirmations.compose(order))
                .withMessage("order %s has no customer e-mail address", ORDER_ID);
    }

    @Test
    void orderWithoutItemsCannotBeConfirmed() {
        OrderCreated order = order(new Customer("c-1", "Ana Souza", "ana@example.com"));

        assertThatIllegalArgumentException().isThrownBy(() -> OrderConfirmations.compose(order))
                .withMessageContaining("has no items");
    }

    @Test
    void messageIdIsDerivedFromTheOrderIdAlone() {
        // given two different events of one order (a retried POST), and another order
        OrderCreated retried = new OrderCreated(UUID.randomUUID(), ORDER_ID, Instant.now(),
                new Customer("c-1", "Ana Souza", "ana@example.com"), List.of(MUGS), "BRL", new BigDecimal("79.80"));
        UUID otherOrder = UUID.fromString("00000000-0000-4000-8000-000000000001");

        // then the retried one carries the same Message-ID, in RFC 5322 msg-id form, and the other one its own
        assertThat(OrderConfirmations.compose(retried).messageId())
                .isEqualTo(OrderConfirmations.compose(ORDER).messageId())
                .isEqualTo(OrderConfirmations.messageId(ORDER_ID))
                .matches("<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+>");
        assertThat(OrderConfirmations.messageId(otherOrder)).isEqualTo("<order-00000000-0000-4000-8000-000000000001@pedidos.dev>");
    }

    @Test
    void newOrderIsSentThenLoggedWithItsSource() {
        // given an order the log does not know
        given(sentLog.recordAll(any())).willReturn(List.of(true));
        Instant before = Instant.now();

        // when
        Confirmation confirmation = confirm(ORDER, 4, 42L);

        // then it was e-mailed, and logged as the e-mail that was sent
        assertThat(confirmation.outcome()).isEqualTo(Outcome.SENT);
        assertThat(confirmation.message()).isEqualTo(OrderConfirmations.compose(ORDER));
        verify(notifier).send(List.of(OrderConfirmations.compose(ORDER)));
        SentNotification logged = logged().getFirst();
        assertThat(logged.orderId()).isEqualTo(ORDER_ID);
        assertThat(logged.messageId()).isEqualTo(OrderConfirmations.messageId(ORDER_ID));
        assertThat(logged.recipient()).isEqualTo("ana@example.com");
        assertThat(logged.subject()).isEqualTo("Pedido 1A2B3C4D5E6F confirmado");
        assertThat(logged.sourcePartition()).isEqualTo(4);
        assertThat(logged.sourceOffset()).isEqualTo(42L);
        assertThat(logged.sentAt()).isBetween(before, Instant.now());
        assertThat(counter("notifications.sent")).isEqualTo(1);
    }

    @Test
    void orderAlreadyInTheLogIsNotSentAgain() {
        // given
        given(sentLog.sentAmong(Set.of(ORDER_ID))).willReturn(Set.of(ORDER_ID));

        // when
        Confirmation confirmation = confirm(ORDER, 4, 43L);

        // then
        assertThat(confirmation.outcome()).isEqualTo(Outcome.ALREADY_SENT);
        verify(notifier, never()).send(any());
        verify(sentLog, never()).recordAll(any());
        assertThat(counter("notifications.skipped")).isEqualTo(1);
    }

    @Test
    void aPollIsLookedUpInOneQuerySentInOneCallAndLoggedInOneBatch() {
        // given three orders, the second already e-mailed
        OrderCreated first = order(UUID.randomUUID());
        OrderCreated second = order(UUID.randomUUID());
        OrderCreated third = order(UUID.randomUUID());
        given(sentLog.sentAmong(any())).willReturn(Set.of(second.orderId()));
        given(sentLog.recordAll(any())).willReturn(List.of(true, true));

        // when
        List<Confirmation> confirmations = this.confirmations.confirmAll(List.of(new Delivery(first, 1, 10L),
                new Delivery(second, 1, 11L), new Delivery(third, 1, 12L)));

        // then
        assertThat(confirmations).extracting(Confirmation::outcome)
                .containsExactly(Outcome.SENT, Outcome.ALREADY_SENT, Outcome.SENT);
        verify(sentLog).sentAmong(Set.of(first.orderId(), second.orderId(), third.orderId()));
        verify(notifier).send(List.of(OrderConfirmations.compose(first), OrderConfirmations.compose(third)));
        assertThat(logged()).extracting(SentNotification::orderId, SentNotification::sourceOffset)
                .containsExactly(tuple(first.orderId(), 10L), tuple(third.orderId(), 12L));
    }

    @Test
    void theOneMailTheServerRefusedFailsAloneAndIsNotLogged() {
        // given three orders, the server refuses the second's e-mail
        OrderCreated first = order(UUID.randomUUID());
        OrderCreated refused = order(UUID.randomUUID());
        OrderCreated third = order(UUID.randomUUID());
        PermanentFailureException refusal = new PermanentFailureException("550 mailbox unavailable", null);
        given(notifier.send(any())).willReturn(Map.of(refused.orderId(), refusal));
        given(sentLog.recordAll(any())).willReturn(List.of(true, true));

        // when
        List<Confirmation> confirmations = this.confirmations.confirmAll(List.of(new Delivery(first, 1, 10L),
                new Delivery(refused, 1, 11L), new Delivery(third, 1, 12L)));

        // then the others are logged as sent, and nothing says the refused one was
        assertThat(confirmations).extracting(Confirmation::outcome)
                .containsExactly(Outcome.SENT, Outcome.FAILED, Outcome.SENT);
        assertThat(confirmations.get(1).failure()).isSameAs(refusal);
        assertThat(logged()).extracting(SentNotification::orderId).containsExactly(first.orderId(), third.orderId());
        assertThat(counter("notifications.sent")).isEqualTo(2);
    }

    @Test
    void anOrderTwiceInOnePollIsSentOnce() {
        // given two events of the same order (a retried POST) in one poll
        given(sentLog.recordAll(any())).willReturn(List.of(true));

        // when
        List<Confirmation> confirmations = this.confirmations.confirmAll(List.of(new Delivery(ORDER, 1, 10L),
                new Delivery(ORDER, 1, 11L)));

        // then
        assertThat(confirmations).extracting(Confirmation::outcome).containsExactly(Outcome.SENT, Outcome.ALREADY_SENT);
        verify(notifier).send(List.of(OrderConfirmations.compose(ORDER)));
        assertThat(logged()).singleElement().satisfies(row -> assertThat(row.sourceOffset()).isEqualTo(10L));
    }

    @Test
    void mailSentWhileTheLogFailsIsLoggedOnTheNextDeliveryWithoutASecondMail() {
        // given the log fails once right after the server took the mail
        given(sentLog.recordAll(any())).willThrow(new DataAccessResourceFailureException("database gone"))
                .willReturn(List.of(true));
        assertThatExceptionOfType(DataAccessResourceFailureException.class)
                .isThrownBy(() -> confirm(ORDER, 4, 42L));

        // when the record is delivered again
        Confirmation confirmation = confirm(ORDER, 4, 42L);

        // then it is logged as sent, and the customer got one e-mail
        assertThat(confirmation.outcome()).isEqualTo(Outcome.SENT);
        verify(notifier, times(1)).send(any());
        verify(sentLog, times(2)).recordAll(any());
        assertThat(counter("notifications.sent")).isEqualTo(1);
        assertThat(counter("notifications.duplicates")).isZero();
    }

    @Test
    void mailLoggedMeanwhileByAnotherDeliveryIsCountedAsDuplicate() {
        // given the order was not in the log when checked, but is when this delivery logs it
        given(sentLog.recordAll(any())).willReturn(List.of(false));

        // when
        Confirmation confirmation = confirm(ORDER, 4, 42L);

        // then
        assertThat(confirmation.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(counter("notifications.duplicates")).isEqualTo(1);
    }

    @Test
    void unavailableLogSendsNothing() {
        // given
        given(sentLog.sentAmong(any())).willThrow(new DataAccessResourceFailureException("database gone"));

        // when / then
        assertThatExceptionOfType(DataAccessResourceFailureException.class)
                .isThrownBy(() -> confirm(ORDER, 4, 42L));
        verify(notifier, never()).send(any());
    }

    @Test
    void orderThatCannotBeComposedTouchesNeitherLogNorMail() {
        OrderCreated noEmail = order(new Customer("c-1", "Ana Souza", ""), MUGS);

        Confirmation confirmation = confirm(noEmail, 4, 42L);

        assertThat(confirmation.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(confirmation.failure()).isInstanceOf(IllegalArgumentException.class);
        verify(sentLog, never()).sentAmong(any());
        verify(notifier, never()).send(any());
    }

    private Confirmation confirm(OrderCreated order, int partition, long offset) {
        return confirmations.confirmAll(List.of(new Delivery(order, partition, offset))).getFirst();
    }

    private static OrderCreated order(UUID orderId) {
        return new OrderCreated(UUID.randomUUID(), orderId, Instant.now(), new Customer("c-1", "Ana Souza",
                "ana@example.com"), List.of(MUGS), "BRL", new BigDecimal("79.80"));
    }

    @SuppressWarnings("unchecked")
    private List<SentNotification> logged() {
        ArgumentCaptor<List<SentNotification>> captor = ArgumentCaptor.forClass(List.class);
        verify(sentLog).recordAll(captor.capture());
        return captor.getValue();
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }
}
