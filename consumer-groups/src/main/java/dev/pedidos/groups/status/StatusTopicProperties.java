package dev.pedidos.groups.status;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The status topic ({@code pedidos.status.*}), where the consumer groups publish the steps of each
 * order's journey ({@code OrderStatusChanged}). Every service that writes it declares it with these
 * settings, so whichever starts first creates it.
 *
 * @param topic             name, {@code pedidos-status} by default
 * @param partitions        partition count
 * @param replicas          replication factor
 * @param minInsyncReplicas {@code min.insync.replicas}: with {@code acks=all} a step is on this many
 *                          brokers before the source record's offset is committed
 * @param retention         {@code retention.ms}, 7 days by default, like the source topic
 * @param publishTimeout    how long a poll waits for the acknowledgement of its steps before the
 *                          poll is retried (then the steps are published again)
 */
@ConfigurationProperties(prefix = "pedidos.status")
public record StatusTopicProperties(
        @DefaultValue("pedidos-status") String topic,
        @DefaultValue("6") int partitions,
        @DefaultValue("3") short replicas,
        @DefaultValue("2") int minInsyncReplicas,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("10s") Duration publishTimeout) {
}
