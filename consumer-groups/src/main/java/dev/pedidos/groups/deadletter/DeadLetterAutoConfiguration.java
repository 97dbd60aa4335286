package dev.pedidos.groups.deadletter;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.tracing.RecordTracing;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What happens to a record a consumer group cannot process (DESIGN G6): the beans Boot does not
 * make, for every service that has this module and a {@code spring.kafka.consumer.group-id}.
 *
 * <ul>
 * <li>The group's dead-letter topic, declared here because this service writes it.</li>
 * <li>One {@link DefaultErrorHandler}; Boot sets the single {@code CommonErrorHandler} bean on its
 *     listener container factory, record or batch. A batch listener names the failed record of a
 *     batch with a {@code BatchListenerFailedException}; the records before it are committed. A
 *     {@code DeserializationException} is not retried (Spring's default classification), nor an
 *     {@link IllegalArgumentException} or a {@link DataIntegrityViolationException} other than a
 *     {@link DuplicateKeyException}: deterministic failures (issue 8). While the
 *     service's database is unavailable ({@link #databaseUnavailable}), or the brokers did not
 *     acknowledge a journey step ({@link #statusNotPublished}), a record is retried at a fixed
 *     interval without end: it is
 *     not at fault, and dead-lettering would empty the topic into the dead-letter topic during an
 *     outage. Any other failure is retried with exponential back-off. Then
 *     a {@link DeadLetterPublishingRecoverer} writes the record to the same partition of the
 *     dead-letter topic with the original key and headers plus Spring's {@code kafka_dlt-*}
 *     headers (original topic, partition, offset, group, exception), waits for the broker's
 *     acknowledgement, and only then is the offset committed.</li>
 * <li>The value serializer of Boot's producer: an undeserializable record is republished with its
 *     original bytes, byte for byte; an {@link OrderCreated} that failed processing as JSON.</li>
 * </ul>
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
// Only in a consumer group's service: one that merely reads lag (order-service) gets none of these beans.
@ConditionalOnProperty(prefix = "pedidos.dead-letter", name = "topic")
@EnableConfigurationProperties({DeadLetterProperties.class, RetryProperties.class})
public class DeadLetterAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterAutoConfiguration.class);

    /**
     * @param dlt the topic's settings
     * @return the dead-letter topic, created by Boot's {@code KafkaAdmin} at start-up when missing
     */
    @Bean
    NewTopic deadLetterTopic(DeadLetterProperties dlt) {
        return TopicBuilder.name(dlt.topic())
                .partitions(dlt.partitions())
                .replicas(dlt.replicas())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(dlt.minInsyncReplicas()))
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(dlt.retention().toMillis()))
                .config(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")
                .build();
    }

    /**
     * @return the value serializer of Boot's producer: original bytes as they were (dead letters),
     *         events as JSON ({@code OrderCreated} that failed processing, {@code OrderStatusChanged})
     */
    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaProducerFactoryCustomizer deadLetterValueSerializer() {
        // A supplier: every producer gets its own serializers, configured from spring.kafka.producer.*.
        return factory -> ((DefaultKafkaProducerFactory<Object, Object>) factory).setValueSerializerSupplier(
                () -> new DelegatingByTypeSerializer(Map.<Class<?>, Serializer<?>>of(
                        byte[].class, new ByteArraySerializer(),
                        OrderCreated.class, new JacksonJsonSerializer<>(),
                        OrderStatusChanged.class, new JacksonJsonSerializer<>())));
    }

    /**
     * @param template Boot's template, whose producer writes to the dead-letter topic
     * @param dlt      the dead-letter topic
     * @param retry    the back-off
     * @param kafka    Boot's Kafka settings, for the group's name in the logs
     * @param status   publishes the {@code DEAD_LETTERED} step of a dead-lettered order
     * @param tracing  puts the log lines about a failed record in its trace
     * @return the one error handler Boot sets on its listener container factory
     */
    @Bean
    DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, DeadLetterProperties dlt, RetryProperties retry,
            KafkaProperties kafka, OrderStatusPublisher status, RecordTracing tracing, ObjectProvider<MeterRegistry> meters) {
        String deadLetterTopic = dlt.topic();
        var recoverer = new DeadLetterStepRecoverer(template,
                (record, exception) -> new TopicPartition(deadLetterTopic, record.partition()), status, tracing);
        var backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        var handler = new DefaultErrorHandler(recoverer, backOff);
        // Deterministic failures go to the dead-letter topic at once: the same record fails the same way on
        // every delivery, so retries only hold back its partition. An invalid argument (an event our rules
        // refuse) and a data-integrity violation (SQLSTATE classes 22 and 23: PostgreSQL refusing the value,
        // such as a NUL in text). Spring's own list (deserialization, conversion, ClassCastException, ...) stays.
        handler.addNotRetryableExceptions(IllegalArgumentException.class, DataIntegrityViolationException.class);
        // Except the dedupe: a unique key another consumer won the race for (a rebalance) is found on retry.
        handler.addRetryableExceptions(DuplicateKeyException.class);
        if (kafka.getListener().getType() == KafkaProperties.Listener.Type.BATCH) {
            // A batch listener names the failed record with a BatchListenerFailedException: the records
            // before it are committed, it and the rest of its batch are retried from memory, the consumer
            // paused meanwhile. Not re-fetched by a seek: a poll in between could bring a batch of another
            // partition, whose success clears the failed record's retry count, so it would be retried more
            // often than configured, or forever.
            handler.setSeekAfterError(false);
        }
        BackOff whileDatabaseUnavailable = new FixedBackOff(retry.databaseUnavailableInterval().toMillis(),
                FixedBackOff.UNLIMITED_ATTEMPTS);
        // null: the exponential back-off above. The handler starts over when the exception's type changes
        // (resetStateOnExceptionChange), so a record that fails otherwise once the database is back gets its
        // bounded retries.
        handler.setBackOffFunction((record, exception) -> databaseUnavailable(exception) || statusNotPublished(exception)
                || dependencyUnavailable(exception) ? whileDatabaseUnavailable : null);
        // A server's permanent refusal (e.g. an SMTP 5xx reply): dead-lettered at the first failure.
        handler.addNotRetryableExceptions(PermanentFailureException.class);
        // The retry listener below logs each failure once; the container's own log of it would repeat it.
        handler.setLogLevel(KafkaException.Level.DEBUG);
        handler.setRetryListeners(new FailureLog(kafka.getConsumer().getGroupId(), deadLetterTopic, tracing,
                meters.getIfAvailable()));
        return handler;
    }

    /**
     * Whether a failure means that the database is unavailable for a while rather than that this
     * record cannot be processed: then the record must wait, not be dead-lettered. True when an
     * exception in the cause chain is
     * <ul>
     * <li>Spring's {@link TransientDataAccessException}, {@link DataAccessResourceFailureException}
     *     (includes {@code CannotGetJdbcConnectionException}: Hikari's
     *     {@code SQLTransientConnectionException} after {@code connection-timeout}),
     *     {@link RecoverableDataAccessException} or {@link CannotCreateTransactionException}
     *     (the transaction manager could not get a connection);</li>
     * <li>JDBC's {@link SQLTransientException}, {@link SQLRecoverableException} or
     *     {@link SQLNonTransientConnectionException}, or any {@link SQLException} of SQLSTATE class
     *     {@code 08} (connection exception: PgJDBC's {@code 08001} connection refused, {@code 08006}
     *     connection failure) or {@code 57P} (operator intervention: {@code 57P01} admin shutdown,
     *     {@code 57P02} crash shutdown, {@code 57P03} cannot connect now, while PostgreSQL starts or
     *     stops; SQLSTATE classes of the SQL standard and PostgreSQL's Appendix A).</li>
     * </ul>
     * A {@link TransactionSystemException} (the rollback after a failure failed too, as when the
     * server goes down under an open transaction) is judged by the failure it overrode as well.
     *
     * @param failure what the listener threw, possibly wrapped by the container
     * @return {@code true} to retry without limit
     */
    public static boolean databaseUnavailable(@Nullable Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransactionSystemException rollbackFailed
                    && databaseUnavailable(rollbackFailed.getApplicationException())) {
                return true;
            }
            if (cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param failure what the listener threw, possibly wrapped by the container
     * @return whether the brokers did not acknowledge a journey step ({@link StatusNotPublishedException}
     *         in the cause chain): the record is retried without limit, like while the database is
     *         unavailable, since the order is not at fault
     */
    public static boolean statusNotPublished(@Nullable Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StatusNotPublishedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param failure what the listener threw, possibly wrapped by the container
     * @return whether a server the group depends on is unavailable ({@link DependencyUnavailableException}
     *         in the cause chain, e.g. the SMTP server): the record is retried without limit, like
     *         while the database is unavailable
     */
    public static boolean dependencyUnavailable(@Nullable Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DependencyUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * One INFO line per failed delivery, one WARN line per dead-lettered record, each in the failed
     * record's trace; dead-lettered records counted as {@code pedidos.dead.letters} (tags {@code group},
     * {@code reason}: the failure's simple class name).
     */
    private record FailureLog(String group, String deadLetterTopic, RecordTracing tracing,
            @Nullable MeterRegistry meters) implements RetryListener {

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, @Nullable Exception exception, int deliveryAttempt) {
            tracing.run(record, () -> log.info("Delivery {} of order {} (group {}, {}-{}@{}) failed: {}",
                    deliveryAttempt, record.key(), group, record.topic(), record.partition(), record.offset(),
                    describe(exception)));
        }

        @Override
        public void recovered(ConsumerRecord<?, ?> record, @Nullable Exception exception) {
            tracing.run(record, () -> log.warn("Dead-lettered order {} (group {}, {}-{}@{}) to {}: {}", record.key(),
                    group, record.topic(), record.partition(), record.offset(), deadLetterTopic, describe(exception)));
            if (meters != null) {
                meters.counter("pedidos.dead.letters", "group", group, "reason", reason(exception)).increment();
            }
        }

        @Override
        public void recoveryFailed(ConsumerRecord<?, ?> record, @Nullable Exception original, Exception failure) {
            tracing.run(record, () -> log.error("Could not dead-letter order {} (group {}, {}-{}@{}) to {}, it will be "
                    + "delivered again: {}", record.key(), group, record.topic(), record.partition(), record.offset(),
                    deadLetterTopic, describe(failure)));
        }
    }

    /** @return the simple class name of the failure the listener threw */
    static String reason(@Nullable Exception exception) {
        Throwable failure = exception instanceof ListenerExecutionFailedException && exception.getCause() != null
                ? exception.getCause() : exception;
        if (failure instanceof BatchListenerFailedException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure == null ? "none" : failure.getClass().getSimpleName();
    }

    /**
     * @param exception what the error handler got for a record, possibly wrapped by the container
     *                  ({@code ListenerExecutionFailedException}) or naming a record of a batch
     *                  ({@code BatchListenerFailedException})
     * @return the listener's exception (class and message) and its root cause, on one line
     */
    static String describe(@Nullable Exception exception) {
        Throwable failure = exception instanceof ListenerExecutionFailedException && exception.getCause() != null
                ? exception.getCause() : exception;
        if (failure instanceof BatchListenerFailedException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure == null) {
            return "no exception";
        }
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        String text = root == failure ? String.valueOf(failure) : failure + "; caused by " + root;
        return text.replaceAll("\\s+", " ");
    }
}
