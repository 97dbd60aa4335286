package dev.pedidos.orders.journey;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The journey view's settings, bound from {@code pedidos.journey.*} (defaults in {@code application.yml}).
 *
 * @param statusTopic                 the topic of {@code OrderStatusChanged} ({@code pedidos-status})
 * @param databaseUnavailableInterval how often a poll whose steps could not be written is retried,
 *                                    without limit (PostgreSQL unavailable)
 * @param recentlyAcceptedCapacity    how many orders this instance accepted are remembered for
 *                                    read-your-own-write, at most
 * @param recentlyAcceptedTtl         for how long each is remembered: far above the projection lag
 * @param retryAfter                  sent as {@code Retry-After} (whole seconds) with a {@code 503} of
 *                                    {@code GET /orders} while PostgreSQL is unavailable
 */
@ConfigurationProperties(prefix = "pedidos.journey")
@Validated
record JourneyProperties(
        @NotBlank String statusTopic,
        @NotNull Duration databaseUnavailableInterval,
        @Min(1) int recentlyAcceptedCapacity,
        @NotNull Duration recentlyAcceptedTtl,
        @NotNull Duration retryAfter) {
}
