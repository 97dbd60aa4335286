package dev.pedidos.groups.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.SendResult;

import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.events.OrderStatusChanged.Invoice;

/** How {@link OrderStatusPublisher.Batch} reports the sends of a poll's steps. */
class OrderStatusPublisherTest {

    @SuppressWarnings("unchecked")
    private final KafkaOperations<Object, Object> template = mock(KafkaOperations.class);

    private final OrderStatusPublisher publisher = new OrderStatusPublisher(template,
            new StatusTopicProperties("pedidos-status", 6, (short) 3, 2, Duration.ofDays(7), Duration.ofSeconds(2)),
            "billing", Clock.systemUTC());

    private final ConsumerRecord<String, String> source = new ConsumerRecord<>("pedidos-pendentes", 4, 42L, "k", "v");

    @Test
    void aStepAcknowledgedByTheBrokersCompletesTheBatch() {
        when(template.send(any(ProducerRecord.class))).thenAnswer(invocation -> {
            ProducerRecord<Object, Object> record = invocation.getArgument(0);
            return CompletableFuture.completedFuture(new SendResult<>(record,
                    new RecordMetadata(new TopicPartition("pedidos-status", 1), 7L, 0, 0L, 0, 0)));
        });
        OrderStatusPublisher.Batch batch = publisher.batch();

        batch.add(source, invoiced());
        batch.await();

        assertThat(batch.failed()).isNull();
    }

    @Test
    void aSendTheProducerFailsAtOnceIsAStepNotPublishedNamingItsRecord() {
        // KafkaTemplate throws this when the producer's future has failed already, e.g. no metadata within max.block.ms
        TimeoutException noMetadata = new TimeoutException("Topic pedidos-status not present in metadata after 60000 ms.");
        when(template.send(any(ProducerRecord.class))).thenThrow(new KafkaException("Send failed", noMetadata));
        OrderStatusPublisher.Batch batch = publisher.batch();

        batch.add(source, invoiced());

        assertThat(batch.failed()).isSameAs(source);
        assertThatExceptionOfType(StatusNotPublishedException.class).isThrownBy(batch::await)
                .withMessageContaining("INVOICED").withMessageContaining("pedidos-pendentes-4@42")
                .withCause(noMetadata);
    }

    private OrderStatusChanged invoiced() {
        return publisher.invoiced(source, UUID.randomUUID(), new Invoice("INV-1", new BigDecimal("79.80"), "BRL"));
    }
}
