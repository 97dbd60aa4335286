package dev.pedidos.orders.journey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.orders.OrderPublished;
import dev.pedidos.orders.journey.JourneyStep.Stage;
import dev.pedidos.orders.journey.JourneyView.Accepted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The Kafka edge of the journey: consumer group {@code order-journey} projects
 * {@code pedidos-pendentes} ({@code OrderCreated}: the {@code ACCEPTED} step) and
 * {@code pedidos-status} ({@code OrderStatusChanged}: the groups' steps) into the {@link JourneyView}.
 *
 * <p>Batch listeners (Boot's factory, {@code spring.kafka.listener.type=batch}): one poll is one
 * transaction and one offset commit, after the database commit, so a crash means redelivery, and
 * redelivery adds no step ({@link JourneyStep#dedupeKey()}). A record the view cannot read (not
 * JSON of the topic's type, a tombstone, a missing field) is logged at WARN with its topic,
 * partition and offset and skipped: the view is a projection; billing and notification dead-letter
 * such records themselves. Any failure to write (PostgreSQL unavailable) retries the poll without
 * limit, the consumer paused meanwhile ({@link ErrorHandling}): nothing is ever skipped for it.
 */
@Component
class JourneyProjector {

    /** Listener ID of {@code pedidos-pendentes}. */
    static final String ORDERS_LISTENER = "journey-orders";

    /** Listener ID of {@code pedidos-status}. */
    static final String STATUS_LISTENER = "journey-status";

    /** Name of order-service in the steps it takes. */
    static final String SERVICE = "order-service";

    private static final Logger log = LoggerFactory.getLogger(JourneyProjector.class);

    private final JourneyView view;
    private final Timer lag;

    JourneyProjector(JourneyView view, MeterRegistry meters) {
        this.view = view;
        this.lag = Timer.builder("pedidos.journey.projection.lag")
                .description("From a record's timestamp (its produce time) to the commit of its step in the view")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /** The {@code ACCEPTED} steps, from order-service's own records. */
    @KafkaListener(id = ORDERS_LISTENER, idIsGroup = false, topics = "${pedidos.topic.name}",
            properties = "spring.json.value.default.type=dev.pedidos.events.OrderCreated")
    void onOrders(List<ConsumerRecord<String, OrderCreated>> records) {
        List<Accepted> accepted = new ArrayList<>(records.size());
        for (ConsumerRecord<String, OrderCreated> record : records) {
            OrderCreated event = record.value();
            if (event == null || event.orderId() == null || event.occurredAt() == null) {
                skip(record, "not an OrderCreated");
                continue;
            }
            String traceId = OrderPublished.traceId(record.headers().lastHeader(OrderPublished.TRACEPARENT));
            accepted.add(new Accepted(event, acceptedStep(event, record.topic(), record.partition(), record.offset(), traceId)));
        }
        if (!accepted.isEmpty()) {
            logged(view.recordAccepted(accepted));
        }
        measure(records);
    }

    /** The steps of the consumer groups. */
    @KafkaListener(id = STATUS_LISTENER, idIsGroup = false, topics = "${pedidos.journey.status-topic}",
            properties = "spring.json.value.default.type=dev.pedidos.events.OrderStatusChanged")
    void onStatus(List<ConsumerRecord<String, OrderStatusChanged>> records) {
        List<JourneyStep> steps = new ArrayList<>(records.size());
        for (ConsumerRecord<String, OrderStatusChanged> record : records) {
            OrderStatusChanged event = record.value();
            Map<String, Object> detail = event == null ? null : detail(event);
            if (detail == null || event.orderId() == null || event.at() == null || event.group() == null
                    || event.sourceTopic() == null) {
                skip(record, "not an OrderStatusChanged with its stage's detail");
                continue;
            }
            String traceId = OrderPublished.traceId(record.headers().lastHeader(OrderPublished.TRACEPARENT));
            steps.add(new JourneyStep(0, event.orderId(), Stage.valueOf(event.stage().name()), event.at(),
                    serviceOf(event.group()), event.group(), event.sourceTopic(), event.sourcePartition(),
                    event.sourceOffset(), traceId, detail));
        }
        if (!steps.isEmpty()) {
            logged(view.recordSteps(steps));
        }
        measure(records);
    }

    /**
     * @return the {@code ACCEPTED} step of an order written at these coordinates (also what
     *         {@link RecentlyAccepted} shows before the view has it)
     */
    static JourneyStep acceptedStep(OrderCreated event, String topic, int partition, long offset, String traceId) {
        return new JourneyStep(0, event.orderId(), Stage.ACCEPTED, event.occurredAt(), SERVICE, null, topic, partition,
                offset, traceId, Map.of());
    }

    /** The service of a consumer group: the groups are named for their services ({@code billing-consumer}, ...). */
    static String serviceOf(String group) {
        return group + "-consumer";
    }

    /** The stage's detail as the journey shows it, or null when the event lacks it. */
    private static Map<String, Object> detail(OrderStatusChanged event) {
        if (event.stage() == null) {
            return null;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        switch (event.stage()) {
            case INVOICED -> {
                if (event.invoice() == null) {
                    return null;
                }
                detail.put("invoiceNumber", event.invoice().number());
                detail.put("total", event.invoice().total());
                detail.put("currency", event.invoice().currency());
            }
            case CONFIRMATION_SENT -> {
                if (event.email() == null) {
                    return null;
                }
                detail.put("messageId", event.email().messageId());
                detail.put("recipient", event.email().recipient());
            }
            case DEAD_LETTERED -> {
                if (event.deadLetter() == null) {
                    return null;
                }
                detail.put("reason", event.deadLetter().reason());
                detail.put("deadLetterTopic", event.deadLetter().topic());
                detail.put("deadLetterPartition", event.deadLetter().partition());
                detail.put("deadLetterOffset", event.deadLetter().offset());
            }
            case REPLAYED -> {
                if (event.replay() == null) {
                    return null;
                }
                detail.put("replayCount", event.replay().replayCount());
                detail.put("deadLetterTopic", event.replay().deadLetterTopic());
                detail.put("deadLetterPartition", event.replay().deadLetterPartition());
                detail.put("deadLetterOffset", event.replay().deadLetterOffset());
            }
        }
        detail.values().removeIf(value -> value == null);
        return detail;
    }

    private static void skip(ConsumerRecord<String, ?> record, String why) {
        log.warn("Journey view skipped the record at {} partition {} offset {} (key {}): {}", record.topic(),
                record.partition(), record.offset(), record.key(), why);
    }

    private static void logged(List<JourneyStep> recorded) {
        for (JourneyStep step : recorded) {
            log.info("Order {} {} by {} (trace {}; {} partition {} offset {}; step {})", step.orderId(), step.stage(),
                    step.group() == null ? step.service() : step.group(), step.traceId() == null ? "-" : step.traceId(),
                    step.topic(), step.partition(),
                    step.offset(), step.id());
        }
    }

    private void measure(List<? extends ConsumerRecord<?, ?>> records) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<?, ?> record : records) {
            lag.record(Math.max(0, now - record.timestamp()), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The error handler Boot sets on its listener container factory: a poll that failed (in
     * practice: PostgreSQL unavailable) is retried from memory every
     * {@code pedidos.journey.database-unavailable-interval}, without limit, the consumer paused
     * meanwhile (Spring Kafka's fallback batch handling keeps the group membership).
     */
    @Configuration(proxyBeanMethods = false)
    static class ErrorHandling {

        @Bean
        DefaultErrorHandler journeyErrorHandler(JourneyProperties properties) {
            var handler = new DefaultErrorHandler(new FixedBackOff(
                    properties.databaseUnavailableInterval().toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS));
            // The retry listener logs one line per failure; the container's own ERROR with a stack trace would repeat it.
            handler.setLogLevel(KafkaException.Level.DEBUG);
            handler.setRetryListeners(new FailureLog(properties.databaseUnavailableInterval()));
            return handler;
        }
    }

    /** One WARN when a poll starts failing, then one a minute while it goes on. */
    private static final class FailureLog implements RetryListener {

        private final long everyNthAttempt;

        FailureLog(Duration interval) {
            this.everyNthAttempt = Math.max(1, Duration.ofMinutes(1).toMillis() / Math.max(1, interval.toMillis()));
        }

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
            log(List.of(record), ex, deliveryAttempt);
        }

        @Override
        public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
            List<ConsumerRecord<?, ?>> list = new ArrayList<>();
            records.forEach(list::add);
            log(list, ex, deliveryAttempt);
        }

        private void log(List<ConsumerRecord<?, ?>> records, Exception ex, int attempt) {
            if (attempt == 1 || attempt % everyNthAttempt == 0) {
                ConsumerRecord<?, ?> first = records.isEmpty() ? null : records.getFirst();
                log.warn("Journey view could not record {} records (first {} partition {} offset {}), attempt {}, "
                        + "retrying without limit: {}", records.size(), first == null ? "-" : first.topic(),
                        first == null ? -1 : first.partition(), first == null ? -1 : first.offset(), attempt,
                        rootCause(ex));
            }
        }

        private static String rootCause(Throwable ex) {
            Throwable cause = ex;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause.toString();
        }
    }
}
