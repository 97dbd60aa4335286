package dev.pedidos.billing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Topic names and error-handling settings of the billing consumer ({@code pedidos.*}).
 *
 * @param sourceTopic topic the orders are read from, written by order-service
 * @param deadLetter  the group's dead-letter topic, declared by this service
 * @param retry       back-off of processing failures before a record is dead-lettered
 */
@ConfigurationProperties(prefix = "pedidos")
record PedidosProperties(
        @DefaultValue("pedidos-pendentes") String sourceTopic,
        @DefaultValue DeadLetter deadLetter,
        @DefaultValue Retry retry) {

    /**
     * The dead-letter topic. A record keeps its partition there, so it needs at least as many
     * partitions as the source topic.
     *
     * @param topic             name
     * @param partitions        partition count, the source topic's (6) by default
     * @param replicas          replication factor
     * @param minInsyncReplicas {@code min.insync.replicas}: with {@code acks=all} a dead-lettered
     *                          record is on this many brokers before its offset is committed
     * @param retention         {@code retention.ms}, 28 days by default (the source keeps 7)
     */
    record DeadLetter(
            @DefaultValue("pedidos-pendentes-billing-dlt") String topic,
            @DefaultValue("6") int partitions,
            @DefaultValue("3") short replicas,
            @DefaultValue("2") int minInsyncReplicas,
            @DefaultValue("28d") Duration retention) {
    }

    /**
     * Back-off between deliveries of a record whose processing failed. A failure of the record itself
     * (it cannot be invoiced) is retried with an exponential back-off and then dead-lettered; one of
     * the database (unreachable, shutting down, transient) is retried with a fixed back-off for as
     * long as it lasts, never dead-lettered: the record is fine, the ledger is away. Each wait must
     * stay well below {@code max.poll.interval.ms} (5 min).
     *
     * @param initialInterval  wait before the first retry
     * @param multiplier       factor applied to the wait after each retry
     * @param maxInterval      upper bound of one wait
     * @param maxRetries       retries after the first delivery; then the record is dead-lettered
     * @param databaseInterval wait between deliveries while the database is unavailable (no limit
     *                         on their number)
     */
    record Retry(
            @DefaultValue("1s") Duration initialInterval,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10s") Duration maxInterval,
            @DefaultValue("3") int maxRetries,
            @DefaultValue("1s") Duration databaseInterval) {
    }
}
