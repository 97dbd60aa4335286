package dev.pedidos.orders;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Timeouts of the publish path, bound from {@code pedidos.*}.
 *
 * @param publishTimeout longest wait for the broker acknowledgement, measured from before the send.
 *                       Keep it above the producer's {@code max.block.ms + delivery.timeout.ms}, so
 *                       that the producer itself gives up on the record first: a record we answered
 *                       503 for is then never written later.
 * @param retryAfter     sent as {@code Retry-After} (whole seconds, RFC 9110 §10.2.3) with a 503
 */
@ConfigurationProperties(prefix = "pedidos")
@Validated
record OrderServiceProperties(@NotNull Duration publishTimeout, @NotNull Duration retryAfter) {
}
