package dev.pedidos.orders.journey;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code GET /orders/stream}, bound from {@code pedidos.stream.*} (defaults in
 * {@code application.yml}).
 *
 * @param pollInterval   how often the steps table is read for new steps: the stream's added delay,
 *                       at most
 * @param gapTimeout     how long a missing step ID is waited for before it is taken as never to come
 *                       (see {@link StepFeed})
 * @param heartbeat      interval of the comment lines that keep an idle connection open and find
 *                       closed ones
 * @param maxConnection  a connection is ended after this long; the browser reconnects at once with
 *                       {@code Last-Event-ID} (lets load balancers and proxies rebalance)
 * @param bufferedEvents events waiting for one slow client, at most; beyond that its connection is
 *                       ended and it resumes from its {@code Last-Event-ID}
 * @param batchSize      steps read per query, at most
 */
@ConfigurationProperties(prefix = "pedidos.stream")
@Validated
record JourneyStreamProperties(
        @NotNull Duration pollInterval,
        @NotNull Duration gapTimeout,
        @NotNull Duration heartbeat,
        @NotNull Duration maxConnection,
        @Min(1) int bufferedEvents,
        @Min(1) int batchSize) {
}
