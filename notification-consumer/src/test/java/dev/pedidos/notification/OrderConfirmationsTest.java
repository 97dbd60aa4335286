package dev.pedidos.notification;

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

class OrderConfirmationsTest {

    private static final UUID ORDER_ID = UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d");

    private static OrderCreated order(Customer customer, OrderItem... items) {
        return new OrderCreated(UUID.randomUUID(), ORDER_ID, Instant.parse("2025-11-21T12:00:00Z"), customer,
                List.of(items), "BRL", new BigDecimal("129.70"));
    }

    private static final OrderItem MUGS = new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"));
    private static final OrderItem NOTEBOOK = new OrderItem("SKU-2", "Caderno", 1, new BigDecimal("49.90"));

    @Test
    void isAddressedToTheCustomerWithTheOrderNumberInTheSubject() {
        // given
        OrderCreated order = order(new Customer("c-1", "Ana Souza", "ana@example.com"), MUGS, NOTEBOOK);

        // when
        OrderConfirmation message = OrderConfirmations.compose(order);

        // then
        assertThat(message.orderId()).isEqualTo(ORDER_ID);
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
}
