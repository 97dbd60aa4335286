package dev.pedidos.notification;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

/**
 * The notification rule: what the customer is told about an accepted order (in Portuguese, the
 * shop's language). Amounts are printed exactly as the event carries them, never through a float.
 */
final class OrderConfirmations {

    private OrderConfirmations() {
    }

    /**
     * Composes the confirmation of an order. The result depends on the event alone.
     *
     * @param order the event as read from Kafka
     * @return the message to send: subject {@code Pedido 1A2B3C4D5E6F confirmado}, body with
     *         {@code quantity × name (sku): unitPrice = lineTotal currency} per item and the total
     * @throws IllegalArgumentException when the order has no ID, no customer e-mail address or no items
     */
    static OrderConfirmation compose(OrderCreated order) {
        require(order.orderId() != null, "order has no orderId");
        Customer customer = order.customer();
        require(customer != null && customer.email() != null && !customer.email().isBlank(),
                "order %s has no customer e-mail address", order.orderId());
        require(!order.items().isEmpty(), "order %s has no items", order.orderId());
        String number = number(order);
        String greeting = customer.name() == null || customer.name().isBlank() ? "Olá!" : "Olá, " + customer.name() + "!";
        String items = order.items().stream()
                .map(item -> "- " + line(item, order.currency()))
                .collect(Collectors.joining("\n"));
        String body = """
                %s

                Recebemos o seu pedido %s (%s):

                %s

                Total: %s

                Obrigado pela compra!
                """.formatted(greeting, number, order.orderId(), items, money(order.totalAmount(), order.currency()));
        return new OrderConfirmation(order.orderId(), customer.email(), "Pedido " + number + " confirmado", body);
    }

    /** Order number shown to people: the first 12 hex digits of the order ID in upper case (as on the invoice). */
    private static String number(OrderCreated order) {
        return order.orderId().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    private static String line(OrderItem item, String currency) {
        BigDecimal lineTotal = item.unitPrice() == null ? null : item.unitPrice().multiply(BigDecimal.valueOf(item.quantity()));
        return "%d × %s (%s): %s = %s".formatted(item.quantity(), item.name(), item.sku(),
                plain(item.unitPrice()), money(lineTotal, currency));
    }

    private static String money(BigDecimal amount, String currency) {
        return plain(amount) + " " + currency;
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? "?" : amount.toPlainString();
    }

    private static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(format.formatted(args));
        }
    }
}
