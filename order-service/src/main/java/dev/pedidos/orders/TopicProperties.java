package dev.pedidos.orders;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The topic order-service writes, bound from {@code pedidos.topic.*} (defaults in
 * {@code application.yml}: {@code pedidos-pendentes}, 6 partitions, RF 3, min ISR 2, 7 days).
 *
 * @param name              topic name
 * @param partitions        partition count; orders are spread over them by order ID
 * @param replicas          replication factor
 * @param minInsyncReplicas {@code min.insync.replicas}: with {@code acks=all}, a write succeeds only
 *                          once this many replicas have it (guarantee G1)
 * @param retention         {@code retention.ms}, how long records are kept
 */
@ConfigurationProperties(prefix = "pedidos.topic")
@Validated
record TopicProperties(
        @NotBlank String name,
        @Min(1) int partitions,
        @Min(1) int replicas,
        @Min(1) int minInsyncReplicas,
        @NotNull Duration retention) {
}
