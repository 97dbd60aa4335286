package dev.pedidos.notification;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The notification rule: what the customer is told about an accepted order (in Portuguese, the
 * shop's language), and that it is told once, as far as an e-mail outside any transaction allows
 * (DESIGN G5, at least once). Amounts are printed exactly, never through a float, with the
 * currency's minor unit ({@code 1} in BRL is {@code 1.00}).
 *
 * <p>Per poll: check the sent log for all its orders in one query, send the others over one SMTP
 * session, log those the server accepted in one transaction. An order already in the log is not
 * e-mailed again, nor is an order twice in one poll. A send that fails logs nothing, so a mail the
 * server did not take is never marked sent; the other mails of the poll are logged all the same. A
 * mail the server took is logged before anything else happens to the order: if logging fails (the
 * database went away), the confirmation is kept in memory and the next delivery of the record
 * logs it without sending again. What remains is a crash (or a lost partition) between send and
 * log: the order is then e-mailed again on redelivery, with the same {@code Message-ID}.
 * A repeat this service sees (the log already had the order when it logged its own send: two
 * deliveries raced) is counted in {@code notifications.duplicates} and logged.
 *
 * <p>Metrics (Micrometer counters): {@code notifications.sent} e-mails the server accepted,
 * {@code notifications.skipped} deliveries of an order already sent,
 * {@code notifications.duplicates} e-mails known to repeat an earlier one.
 */
@Component
final class OrderConfirmations {

    /** Right side of every {@code Message-ID}: the project's own domain, so that IDs are unique worldwide. */
    static final String MESSAGE_ID_DOMAIN = "pedidos.dev";

    /** What {@link #confirmAll} did with an order. */
    enum Outcome {
        /** E-mailed now and logged. */
        SENT,
        /** Already in the sent log, or e-mailed for an earlier record of the same poll: not e-mailed again. */
        ALREADY_SENT,
        /** E-mailed now, but another delivery had e-mailed and logged it meanwhile: a duplicate e-mail. */
        DUPLICATE,
        /** Not confirmed: no confirmation could be composed, or the server did not accept it; see the failure. */
        FAILED
    }

    /**
     * An order to confirm, as read from Kafka.
     *
     * @param order     the event
     * @param partition partition of the source topic it was read from, logged with it
     * @param offset    its offset there
     */
    record Delivery(OrderCreated order, int partition, long offset) {
    }

    /**
     * The result of {@link #confirmAll} for one delivery.
     *
     * @param outcome what happened
     * @param message the confirmation composed for the order; {@code null} when none could be composed
     * @param failure why it failed, for {@link Outcome#FAILED} only: an {@link IllegalArgumentException}
     *                from {@link #compose}, or the {@link Notifier}'s failure
     */
    record Confirmation(Outcome outcome, OrderConfirmation message, RuntimeException failure) {

        Confirmation(Outcome outcome, OrderConfirmation message) {
            this(outcome, message, null);
        }
    }

    private final Notifier notifier;
    private final SentLog sentLog;
    /** Sent but not yet logged, by order ID: a database failure after the send does not cause a second e-mail. */
    private final Map<UUID, SentNotification> unlogged = new ConcurrentHashMap<>();
    private final Counter sent;
    private final Counter skipped;
    private final Counter duplicates;

    OrderConfirmations(Notifier notifier, SentLog sentLog, MeterRegistry meters) {
        this.notifier = notifier;
        this.sentLog = sentLog;
        this.sent = Counter.builder("notifications.sent")
                .description("Order confirmations the SMTP server accepted").register(meters);
        this.skipped = Counter.builder("notifications.skipped")
                .description("Deliveries of an order already in the sent log, not e-mailed again").register(meters);
        this.duplicates = Counter.builder("notifications.duplicates")
                .description("Confirmations e-mailed although the order had been e-mailed before").register(meters);
    }

    /**
     * Confirms the orders of one poll to their customers, each unless that was done before. Returns
     * only after every confirmation the server accepted is in the sent log, so the caller may then
     * commit the offsets of every delivery up to the first {@link Outcome#FAILED} one.
     *
     * @param deliveries the poll's orders, in offset order per partition
     * @return one confirmation per delivery, in the same order
     * @throws RuntimeException from the {@link SentLog} when the database failed: nothing of the
     *                          poll may be committed (e-mails sent are logged on the next call)
     */
    List<Confirmation> confirmAll(List<Delivery> deliveries) {
        Confirmation[] results = new Confirmation[deliveries.size()];
        OrderConfirmation[] messages = new OrderConfirmation[deliveries.size()];
        Set<UUID> orderIds = new LinkedHashSet<>();
        for (int i = 0; i < deliveries.size(); i++) {
            try {
                messages[i] = compose(deliveries.get(i).order());
                orderIds.add(messages[i].orderId());
            }
            catch (IllegalArgumentException e) {
                results[i] = new Confirmation(Outcome.FAILED, null, e);
            }
        }
        Set<UUID> logged = orderIds.isEmpty() ? Set.of() : sentLog.sentAmong(orderIds);
        // The first delivery of each order not yet logged: its e-mail is sent, or was sent and awaits the log.
        Map<UUID, Integer> first = new LinkedHashMap<>();
        List<OrderConfirmation> toSend = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            OrderConfirmation message = messages[i];
            if (message == null || logged.contains(message.orderId()) || first.containsKey(message.orderId())) {
                continue;
            }
            first.put(message.orderId(), i);
            if (!unlogged.containsKey(message.orderId())) {
                toSend.add(message);
            }
        }
        Map<UUID, RuntimeException> failures = toSend.isEmpty() ? Map.of() : notifier.send(toSend);
        Instant now = Instant.now();
        for (OrderConfirmation message : toSend) {
            if (!failures.containsKey(message.orderId())) {
                sent.increment();
                Delivery delivery = deliveries.get(first.get(message.orderId()));
                unlogged.put(message.orderId(), new SentNotification(message.orderId(), message.messageId(),
                        message.to(), message.subject(), now, delivery.partition(), delivery.offset()));
            }
        }
        // One read per order: the map is shared by the group's consumer threads (one may log an order of both its
        // source and its replay topic), so a check then a get could see the entry gone in between.
        List<SentNotification> toLog = first.keySet().stream().map(unlogged::get).filter(Objects::nonNull).toList();
        List<Boolean> firstRows = toLog.isEmpty() ? List.of() : sentLog.recordAll(toLog);
        Set<UUID> repeated = new HashSet<>();
        for (int i = 0; i < toLog.size(); i++) {
            UUID orderId = toLog.get(i).orderId();
            unlogged.remove(orderId, toLog.get(i)); // not an entry another thread put meanwhile
            if (!firstRows.get(i)) {
                repeated.add(orderId);
                duplicates.increment();
            }
        }
        for (int i = 0; i < messages.length; i++) {
            OrderConfirmation message = messages[i];
            if (message == null) {
                continue;
            }
            UUID orderId = message.orderId();
            Integer firstIndex = first.get(orderId);
            RuntimeException failure = failures.get(orderId);
            if (firstIndex != null && failure != null) {
                // Its e-mail failed (this delivery's, or an earlier one's of the same order in this poll).
                results[i] = new Confirmation(Outcome.FAILED, message, failure);
            }
            else if (firstIndex != null && firstIndex == i) {
                results[i] = new Confirmation(repeated.contains(orderId) ? Outcome.DUPLICATE : Outcome.SENT, message);
            }
            else {
                skipped.increment();
                results[i] = new Confirmation(Outcome.ALREADY_SENT, message);
            }
        }
        return List.of(results);
    }

    /**
     * Composes the confirmation of an order. The result depends on the event alone.
     *
     * @param order the event as read from Kafka
     * @return the message to send: {@code Message-ID} from {@link #messageId}, subject
     *         {@code Pedido 1A2B3C4D5E6F confirmado}, body with
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
        return new OrderConfirmation(order.orderId(), messageId(order.orderId()), customer.email(),
                "Pedido " + number + " confirmado", body);
    }

    /**
     * The {@code Message-ID} of every e-mail about an order (RFC 5322 §3.6.4: {@code <id-left@id-right>},
     * unique worldwide): {@code <order-{orderId}@pedidos.dev>}, the order ID in its canonical lower-case
     * form. Derived from the order ID alone, so that a repeated e-mail carries the same ID as the first.
     *
     * @param orderId an order ID
     * @return the message ID, with its angle brackets
     */
    static String messageId(UUID orderId) {
        return "<order-" + orderId + "@" + MESSAGE_ID_DOMAIN + ">";
    }

    /** Order number shown to people: the first 12 hex digits of the order ID in upper case (as on the invoice). */
    private static String number(OrderCreated order) {
        return order.orderId().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    private static String line(OrderItem item, String currency) {
        BigDecimal lineTotal = item.unitPrice() == null ? null : item.unitPrice().multiply(BigDecimal.valueOf(item.quantity()));
        return "%d × %s (%s): %s = %s".formatted(item.quantity(), item.name(), item.sku(),
                plain(item.unitPrice(), currency), money(lineTotal, currency));
    }

    private static String money(BigDecimal amount, String currency) {
        return plain(amount, currency) + " " + currency;
    }

    /**
     * An amount as text with its currency's minor unit (ISO 4217, as the JDK has it): {@code 1} in BRL
     * is {@code 1.00}, in JPY {@code 1}. An amount that would need rounding, or a code without a minor
     * unit, is printed as the event carries it: the e-mail never changes a price.
     */
    private static String plain(BigDecimal amount, String currency) {
        if (amount == null) {
            return "?";
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? amount.toPlainString() : amount.setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
        }
        catch (IllegalArgumentException | NullPointerException | ArithmeticException notInMinorUnits) {
            return amount.toPlainString();
        }
    }

    private static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(format.formatted(args));
        }
    }
}
