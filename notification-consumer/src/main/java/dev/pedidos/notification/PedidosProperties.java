package dev.pedidos.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Topic names, error-handling and e-mail settings of the notification consumer ({@code pedidos.*}).
 *
 * @param sourceTopic topic the orders are read from, written by order-service
 * @param deadLetter  the group's dead-letter topic, declared by this service
 * @param retry       back-off of failed records: processing failures before a record is
 *                    dead-lettered, and the database being unavailable
 * @param mail        what the confirmation e-mails say about their sender
 */
@ConfigurationProperties(prefix = "pedidos")
record PedidosProperties(
        @DefaultValue("pedidos-pendentes") String sourceTopic,
        @DefaultValue DeadLetter deadLetter,
        @DefaultValue Retry retry,
        @DefaultValue Mail mail) {

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
            @DefaultValue("pedidos-pendentes-notification-dlt") String topic,
            @DefaultValue("6") int partitions,
            @DefaultValue("3") short replicas,
            @DefaultValue("2") int minInsyncReplicas,
            @DefaultValue("28d") Duration retention) {
    }

    /**
     * Back-off between deliveries of a record whose processing failed. Exponential with a bound
     * for failures of the record (an SMTP failure, an order that cannot be confirmed); fixed and
     * unlimited while the sent log's database is unavailable, since every record would fail alike
     * and none of them is at fault. Each wait must stay well below {@code max.poll.interval.ms} (5 min).
     *
     * @param initialInterval             wait before the first retry
     * @param multiplier                  factor applied to the wait after each retry
     * @param maxInterval                 upper bound of one wait
     * @param maxRetries                  retries after the first delivery; then the record is dead-lettered
     * @param databaseUnavailableInterval wait between deliveries while the database cannot be
     *                                    reached; such a record is never dead-lettered
     */
    record Retry(
            @DefaultValue("1s") Duration initialInterval,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10s") Duration maxInterval,
            @DefaultValue("3") int maxRetries,
            @DefaultValue("1s") Duration databaseUnavailableInterval) {
    }

    /**
     * The sender of the confirmations.
     *
     * @param from {@code From} address (RFC 5322 §3.4), optionally with a display name, e.g.
     *             {@code Loja <pedidos@loja.example>}; also the SMTP envelope sender
     */
    record Mail(@DefaultValue("pedidos@loja.example") String from) {
    }
}
