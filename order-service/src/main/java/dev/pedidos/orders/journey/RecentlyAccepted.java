package dev.pedidos.orders.journey;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.pedidos.orders.OrderPublished;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Read your own write: the orders this instance accepted lately, in memory, so that a {@code GET}
 * of the {@code Location} right after the {@code 202} answers {@code 200} with the
 * {@code ACCEPTED} step (topic, partition, offset, trace ID) even before the projector recorded it.
 *
 * <p>Filled from {@link OrderPublished}, which the publisher sends after the brokers' acknowledgement
 * and before the {@code 202}. Bounded ({@code pedidos.journey.recently-accepted-capacity}, oldest
 * dropped first) and short-lived ({@code recently-accepted-ttl}): the view normally has an order
 * within milliseconds. Per instance: behind a load balancer, a {@code GET} that reaches another
 * instance before the view has the order still gets a {@code 404} (sticky sessions or waiting for
 * the view would close that gap).
 */
@Component
class RecentlyAccepted {

    private final int capacity;
    private final long ttlMillis;
    private final Clock clock;
    private final Map<UUID, Remembered> orders;

    RecentlyAccepted(JourneyProperties properties, Clock clock) {
        this.capacity = properties.recentlyAcceptedCapacity();
        this.ttlMillis = properties.recentlyAcceptedTtl().toMillis();
        this.clock = clock;
        this.orders = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Remembered> eldest) {
                return size() > RecentlyAccepted.this.capacity;
            }
        };
    }

    private record Remembered(OrderPublished published, Instant until) {
    }

    @EventListener
    void remember(OrderPublished published) {
        Remembered entry = new Remembered(published, clock.instant().plusMillis(ttlMillis));
        synchronized (orders) {
            // A duplicate POST keeps the first record's coordinates, as the view does.
            orders.putIfAbsent(published.event().orderId(), entry);
        }
    }

    /**
     * @param orderId an order
     * @return the order as this instance published it, if it did so within the TTL
     */
    Optional<OrderPublished> find(UUID orderId) {
        synchronized (orders) {
            Remembered entry = orders.get(orderId);
            if (entry == null) {
                return Optional.empty();
            }
            if (entry.until().isBefore(clock.instant())) {
                orders.remove(orderId);
                return Optional.empty();
            }
            return Optional.of(entry.published());
        }
    }
}
