package dev.pedidos.groups.deadletter;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The group's replay topic ({@code pedidos.replay.*}): where an operator sends a dead letter back,
 * read by this group's listener only (beside the source topic), so that a replay never reaches
 * another group. A replayed record goes to the partition it has in the dead-letter topic, which is
 * its original partition: the replay topic needs as many partitions as the source.
 *
 * @param topic             name, e.g. {@code pedidos-pendentes-billing-replay}; required
 * @param partitions        partition count, the source topic's (6) by default
 * @param replicas          replication factor
 * @param minInsyncReplicas {@code min.insync.replicas}, as for the source
 * @param retention         {@code retention.ms}: 28 days like the dead-letter topic, whose entries'
 *                          replay state is read from here
 * @param readTimeout       bound of one read of the dead-letter and replay topics for a listing
 */
@ConfigurationProperties(prefix = "pedidos.replay")
public record ReplayProperties(
        String topic,
        @DefaultValue("6") int partitions,
        @DefaultValue("3") short replicas,
        @DefaultValue("2") int minInsyncReplicas,
        @DefaultValue("28d") Duration retention,
        @DefaultValue("10s") Duration readTimeout) {

    public ReplayProperties {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("pedidos.replay.topic is required");
        }
    }
}
