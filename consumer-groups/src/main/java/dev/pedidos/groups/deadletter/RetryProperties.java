package dev.pedidos.groups.deadletter;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Back-off between deliveries of a record whose processing failed ({@code pedidos.retry.*}):
 * exponential with a bound for failures of the record, after which it is dead-lettered; fixed and
 * unlimited while the service's database is unavailable, since every record would fail alike and
 * none of them is at fault. Each wait must stay well below {@code max.poll.interval.ms} (5 min).
 *
 * @param initialInterval             wait before the first retry
 * @param multiplier                  factor applied to the wait after each retry
 * @param maxInterval                 upper bound of one wait
 * @param maxRetries                  retries after the first delivery; then the record is dead-lettered
 * @param databaseUnavailableInterval wait between deliveries while the database cannot be reached;
 *                                    such a record is never dead-lettered
 */
@ConfigurationProperties(prefix = "pedidos.retry")
public record RetryProperties(
        @DefaultValue("1s") Duration initialInterval,
        @DefaultValue("2.0") double multiplier,
        @DefaultValue("10s") Duration maxInterval,
        @DefaultValue("3") int maxRetries,
        @DefaultValue("1s") Duration databaseUnavailableInterval) {
}
