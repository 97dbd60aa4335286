package dev.pedidos.orders;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.orders.OrderPublisher.Published;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.resilience.InvocationRejectedException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * {@code pedidos.max-in-flight} on the real {@link KafkaOrderPublisher} bean, as the application
 * wires it (Spring's {@code @ConcurrencyLimit}, applied by its nested {@code @EnableResilientMethods}
 * configuration): with that many
 * publishes waiting for their acknowledgement, one more is refused at once and sends nothing; once
 * one is acknowledged, the next is taken again. The template is a mock whose sends the test
 * acknowledges by hand: what is under test is the limit, not Kafka.
 */
@SpringJUnitConfig(PublishConcurrencyLimitTest.Wiring.class)
@TestPropertySource(properties = "pedidos.max-in-flight=2")
class PublishConcurrencyLimitTest {

    @MockitoBean
    KafkaTemplate<String, OrderCreated> template;

    @Autowired
    OrderPublisher publisher;

    @Test
    void beyondTheLimitAPublishIsRefusedAtOnceAndSendsNothing() throws Exception {
        CompletableFuture<SendResult<String, OrderCreated>> first = new CompletableFuture<>();
        CompletableFuture<SendResult<String, OrderCreated>> second = new CompletableFuture<>();
        CompletableFuture<SendResult<String, OrderCreated>> later = new CompletableFuture<>();
        given(template.send(any(ProducerRecord.class))).willReturn(first, second, later);

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // given two publishes waiting for their acknowledgement
            Future<Published> one = clients.submit(() -> publisher.publish(order()));
            Future<Published> two = clients.submit(() -> publisher.publish(order()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(List.of(one, two)).as("publishes ended before their acknowledgement")
                        .noneMatch(Future::isDone);
                verify(template, times(2)).send(any(ProducerRecord.class));
            });

            // then a third is refused without being sent
            assertThatThrownBy(() -> publisher.publish(order())).isInstanceOf(InvocationRejectedException.class);
            verify(template, times(2)).send(any(ProducerRecord.class));

            // and once one is acknowledged (whichever got the first send), the next one is sent again
            first.complete(acknowledged(0, 7));
            await().atMost(Duration.ofSeconds(10)).until(() -> one.isDone() || two.isDone());
            Future<Published> three = clients.submit(() -> publisher.publish(order()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(template, times(3)).send(any(ProducerRecord.class)));
            second.complete(acknowledged(1, 8));
            later.complete(acknowledged(2, 9));
            assertThat(List.of(one.get().offset(), two.get().offset(), three.get().offset()))
                    .containsExactlyInAnyOrder(7L, 8L, 9L);
        }
    }

    private static OrderCreated order() {
        return new OrderCreated(UUID.randomUUID(), UUID.randomUUID(), Instant.parse("2026-11-27T10:00:00Z"),
                new Customer(null, "Ana", "ana@example.com"),
                List.of(new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.99"))), "BRL", new BigDecimal("19.99"));
    }

    private static SendResult<String, OrderCreated> acknowledged(int partition, long offset) {
        return new SendResult<>(null, new RecordMetadata(new TopicPartition("pedidos-pendentes", partition), offset,
                0, 0L, 0, 0));
    }

    @Configuration(proxyBeanMethods = false)
    @Import(KafkaOrderPublisher.class) // with its InFlightLimit configuration, as the application gets it
    static class Wiring {

        @Bean
        TopicProperties topicProperties() {
            return new TopicProperties("pedidos-pendentes", 6, 3, 2, Duration.ofDays(7));
        }

        @Bean
        OrderServiceProperties orderServiceProperties() {
            return new OrderServiceProperties(Duration.ofSeconds(30), Duration.ofSeconds(5));
        }
    }
}
