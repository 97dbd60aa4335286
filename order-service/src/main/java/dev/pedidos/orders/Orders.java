package dev.pedidos.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

import org.springframework.stereotype.Component;

/**
 * The domain rule of order-service: which ID an order gets, what it costs, and the
 * {@link OrderCreated} event that records it. No HTTP, no Kafka.
 */
@Component
class Orders {

    /**
     * Namespace of the name-based order IDs (RFC 9562 §5.3). Fixed forever: changing it would map
     * a retried {@code Idempotency-Key} to a different order.
     */
    static final UUID ORDER_ID_NAMESPACE = UUID.fromString("bea172c2-8551-4cee-81b0-129040e68200");

    private final Clock clock;

    Orders(Clock clock) {
        this.clock = clock;
    }

    /**
     * The order ID for a request.
     *
     * @param idempotencyKey the client's {@code Idempotency-Key} header, or {@code null}
     * @return a name-based version 3 UUID (RFC 9562 §5.3: MD5 over {@link #ORDER_ID_NAMESPACE}'s 16
     *         bytes followed by the key's UTF-8 bytes), so that a retry with the same key names the
     *         same order; a random version 4 UUID when there is no key
     */
    static UUID orderIdFor(String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID();
        }
        byte[] name = idempotencyKey.getBytes(StandardCharsets.UTF_8);
        ByteBuffer namespaced = ByteBuffer.allocate(16 + name.length)
                .putLong(ORDER_ID_NAMESPACE.getMostSignificantBits())
                .putLong(ORDER_ID_NAMESPACE.getLeastSignificantBits())
                .put(name);
        return UUID.nameUUIDFromBytes(namespaced.array());
    }

    /**
     * The exact total of an order: the sum of {@code quantity × unitPrice}, in the order's currency.
     *
     * @param items    validated lines
     * @param currency a code of {@link Currencies#PRICING}
     * @return the total with the currency's minor unit as its scale (BRL 2: {@code 2.00}; JPY 0),
     *         computed in {@link BigDecimal} (no binary floating point)
     * @throws ArithmeticException if a price has more decimals than the currency allows (validation
     *                             rejects those)
     */
    static BigDecimal totalOf(List<PlaceOrderRequest.Item> items, String currency) {
        return items.stream()
                .map(item -> inMinorUnits(item.unitPrice(), currency).multiply(BigDecimal.valueOf(item.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(Currencies.minorUnit(currency), RoundingMode.UNNECESSARY);
    }

    /**
     * @param amount   a validated amount
     * @param currency a code of {@link Currencies#PRICING}
     * @return the same value with exactly the currency's minor-unit digits: {@code 1} in BRL is {@code 1.00},
     *         {@code 500.0} in JPY is {@code 500}
     * @throws ArithmeticException if the amount has more decimals than that (validation rejects those)
     */
    static BigDecimal inMinorUnits(BigDecimal amount, String currency) {
        return amount.setScale(Currencies.minorUnit(currency), RoundingMode.UNNECESSARY);
    }

    /**
     * What makes two requests the same order, for the Idempotency-Key store: SHA-256, as 64 lower-case
     * hex digits, of the parsed order in a canonical form: customer (id, name, e-mail), currency (the
     * default applied), then each line (sku, name, quantity, unit price by value: {@code 1.0} and
     * {@code 1.00} are one price), each field as its UTF-8 length (4 bytes, -1 for none) and bytes.
     * Whitespace, field order and number spelling of the JSON body do not count; any value does.
     *
     * @param request a validated request
     * @return 64 hex digits, stable across releases unless the prefix {@code order-v1} changes
     */
    static String fingerprint(PlaceOrderRequest request) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
        field(sha256, "order-v1");
        field(sha256, request.customer().id());
        field(sha256, request.customer().name());
        field(sha256, request.customer().email());
        field(sha256, request.currency());
        field(sha256, Integer.toString(request.items().size()));
        for (PlaceOrderRequest.Item item : request.items()) {
            field(sha256, item.sku());
            field(sha256, item.name());
            field(sha256, Integer.toString(item.quantity()));
            field(sha256, item.unitPrice().stripTrailingZeros().toPlainString());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    /**
     * The event that records an accepted order.
     *
     * @param orderId the ID from {@link #orderIdFor(String)}
     * @param request the validated request
     * @return the event, with a fresh {@code eventId} and {@code occurredAt} = now, every amount with the
     *         currency's minor unit as its scale
     */
    OrderCreated accept(UUID orderId, PlaceOrderRequest request) {
        var customer = request.customer();
        List<OrderItem> items = request.items().stream()
                .map(item -> new OrderItem(item.sku(), item.name(), item.quantity(),
                        inMinorUnits(item.unitPrice(), request.currency())))
                .toList();
        return new OrderCreated(
                UUID.randomUUID(),
                orderId,
                clock.instant(),
                new Customer(customer.id(), customer.name(), customer.email()),
                items,
                request.currency(),
                totalOf(request.items(), request.currency()));
    }
}
