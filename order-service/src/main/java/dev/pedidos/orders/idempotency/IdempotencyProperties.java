package dev.pedidos.orders.idempotency;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The Idempotency-Key store's settings, bound from {@code pedidos.idempotency.*} (defaults in
 * {@code application.yml}).
 *
 * @param ttl             how long a key is remembered from its first use (24 h, as Stripe): a reuse
 *                        within it with another body is a 422; after it the key is forgotten
 * @param inFlightLease   how long one request may hold a key before another request with it may
 *                        proceed: above the longest answer (publish timeout 8 s), so that only a
 *                        crashed instance's claim ever runs out
 * @param cleanupInterval how often expired keys are deleted
 */
@ConfigurationProperties(prefix = "pedidos.idempotency")
@Validated
record IdempotencyProperties(@NotNull Duration ttl, @NotNull Duration inFlightLease, @NotNull Duration cleanupInterval) {
}
