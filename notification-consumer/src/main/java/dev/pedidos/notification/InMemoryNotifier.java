package dev.pedidos.notification;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The notifier of this first version: keeps the messages in memory and logs them (DEBUG) instead
 * of e-mailing them. Replaced in the next issue by SMTP delivery with a durable sent log in
 * PostgreSQL, which keeps repeated e-mails rare across restarts.
 */
@Component
class InMemoryNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(InMemoryNotifier.class);

    private final Map<UUID, List<OrderConfirmation>> sent = new ConcurrentHashMap<>();

    @Override
    public void send(OrderConfirmation message) {
        sent.computeIfAbsent(message.orderId(), id -> new CopyOnWriteArrayList<>()).add(message);
        log.debug("Sent to {}: {}\n{}", message.to(), message.subject(), message.body());
    }

    /** @return every message sent for the order, in sending order */
    List<OrderConfirmation> sent(UUID orderId) {
        return List.copyOf(sent.getOrDefault(orderId, List.of()));
    }
}
