package dev.pedidos.groups.deadletter;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The group's dead-letter topic ({@code pedidos.dead-letter.*}), declared by the consumer that writes
 * it. A record keeps its partition there, so it needs at least as many partitions as the source.
 *
 * @param topic             name, e.g. {@code pedidos-pendentes-billing-dlt}; required
 * @param partitions        partition count, the source topic's (6) by default
 * @param replicas          replication factor
 * @param minInsyncReplicas {@code min.insync.replicas}: with {@code acks=all} a dead-lettered record
 *                          is on this many brokers before the failed record's offset is committed
 * @param retention         {@code retention.ms}, 28 days by default (the source keeps 7)
 */
@ConfigurationProperties(prefix = "pedidos.dead-letter")
public record DeadLetterProperties(
        String topic,
        @DefaultValue("6") int partitions,
        @DefaultValue("3") short replicas,
        @DefaultValue("2") int minInsyncReplicas,
        @DefaultValue("28d") Duration retention) {

    public DeadLetterProperties {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("pedidos.dead-letter.topic is required");
        }
    }
}
