package dev.pedidos.orders;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.pedidos.events.OrderCreated;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.ConcurrencyLimit.ThrottlePolicy;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.stereotype.Component;

/**
 * The Kafka edge: writes {@link OrderCreated} to {@code pedidos-pendentes} with Boot's
 * {@link KafkaTemplate} (producer settings in {@code application.yml}: {@code acks=all},
 * idempotence, bounded timeouts) and blocks until the brokers acknowledge.
 *
 * <p>Record: key = order ID as text (all events of an order share a partition), value = JSON,
 * headers {@code eventType=OrderCreated}, {@code schemaVersion=1} (UTF-8) and the W3C
 * {@code traceparent} that the template's observation adds.
 *
 * <p>At most {@code pedidos.max-in-flight} publishes wait for their acknowledgement at once (Spring's
 * {@link ConcurrencyLimit}, policy {@code REJECT}): one more is refused at once with Spring's
 * {@code InvocationRejectedException}, before anything is sent, and answered {@code 503} with
 * {@code Retry-After} ({@link OrderProblems}). Requests run on virtual threads, so nothing else
 * bounds them: offered more than the brokers acknowledge, the service would otherwise hold every
 * request until it runs out of memory.
 */
@Component
class KafkaOrderPublisher implements OrderPublisher {

    private static final Logger log = LoggerFactory.getLogger(KafkaOrderPublisher.class);

    private final KafkaTemplate<String, OrderCreated> template;
    private final String topic;
    private final Duration publishTimeout;
    private final ApplicationEventPublisher events;

    KafkaOrderPublisher(KafkaTemplate<String, OrderCreated> template, TopicProperties topic,
            OrderServiceProperties properties, ApplicationEventPublisher events) {
        this.template = template;
        this.topic = topic.name();
        this.publishTimeout = properties.publishTimeout();
        this.events = events;
    }

    @Override
    @ConcurrencyLimit(limitString = "${pedidos.max-in-flight}", policy = ThrottlePolicy.REJECT)
    public Published publish(OrderCreated event) {
        long deadline = System.nanoTime() + publishTimeout.toNanos();
        var record = new ProducerRecord<String, OrderCreated>(topic, event.orderId().toString(), event);
        record.headers()
                .add(OrderCreated.EVENT_TYPE_HEADER, OrderCreated.EVENT_TYPE.getBytes(UTF_8))
                .add(OrderCreated.SCHEMA_VERSION_HEADER, OrderCreated.SCHEMA_VERSION.getBytes(UTF_8));
        try {
            // send() itself may block up to max.block.ms (no metadata); the wait gets what is left.
            var sent = template.send(record);
            RecordMetadata written = sent.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                    .getRecordMetadata();
            log.info("Order {} accepted: partition {} offset {} total {} {}", event.orderId(),
                    written.partition(), written.offset(), event.totalAmount(), event.currency());
            // (the template's observation added the traceparent header to the record before sending it)
            events.publishEvent(new OrderPublished(event, written.topic(), written.partition(), written.offset(),
                    OrderPublished.traceId(record.headers().lastHeader(OrderPublished.TRACEPARENT))));
            return new Published(written.partition(), written.offset());
        }
        catch (ExecutionException failed) {
            throw new OrderNotAcknowledgedException(event.orderId(), failed.getCause());
        }
        // Our own wait ran out, or the send failed at once (the client exception or Spring wrapping it).
        catch (TimeoutException | KafkaException | org.springframework.kafka.KafkaException notAcknowledged) {
            throw new OrderNotAcknowledgedException(event.orderId(), notAcknowledged);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new OrderNotAcknowledgedException(event.orderId(), interrupted);
        }
    }

    /**
     * Declares the topic this service writes: brokers run with {@code auto.create.topics.enable=false}.
     * Boot's {@code KafkaAdmin} creates it at startup when missing (and adds partitions when it has
     * fewer); replicas and configs of an existing topic are left as they are.
     */
    /**
     * Applies the {@link ConcurrencyLimit} of {@link #publish}, here beside it so that whatever
     * imports the publisher gets its limit too. A class proxy: the annotation is on this class's
     * method, not on the interface's.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods(proxyTargetClass = true)
    static class InFlightLimit {
    }

    @Configuration(proxyBeanMethods = false)
    static class Topic {

        @Bean
        NewTopic ordersTopic(TopicProperties topic) {
            return TopicBuilder.name(topic.name())
                    .partitions(topic.partitions())
                    .replicas(topic.replicas())
                    .configs(Map.of(
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(topic.minInsyncReplicas()),
                            TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()),
                            // G1: never elect a leader that may lack acknowledged records.
                            TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false"))
                    .build();
        }
    }
}
