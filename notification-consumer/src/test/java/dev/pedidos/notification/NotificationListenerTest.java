package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

class NotificationListenerTest {

    private final Notifier notifier = mock(Notifier.class);
    private final NotificationListener listener = new NotificationListener(notifier, properties(), kafka());

    private static PedidosProperties properties() {
        return new PedidosProperties("pedidos-pendentes",
                new PedidosProperties.DeadLetter("pedidos-pendentes-notification-dlt", 6, (short) 3, 2, Duration.ofDays(28)),
                new PedidosProperties.Retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 3));
    }

    private static KafkaProperties kafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getConsumer().setGroupId("notification");
        return kafka;
    }

    private static ConsumerRecord<String, OrderCreated> record(String email) {
        UUID orderId = UUID.randomUUID();
        OrderCreated order = new OrderCreated(UUID.randomUUID(), orderId, Instant.now(),
                new Customer("c-1", "Ana Souza", email),
                List.of(new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"))), "BRL",
                new BigDecimal("79.80"));
        return new ConsumerRecord<>("pedidos-pendentes", 4, 42L, orderId.toString(), order);
    }

    @Test
    void listensToTheConfiguredSourceTopic() {
        assertThat(listener.topic()).isEqualTo("pedidos-pendentes");
    }

    @Test
    void sendsTheComposedConfirmation() {
        // given
        ConsumerRecord<String, OrderCreated> record = record("ana@example.com");

        // when
        listener.onOrder(record);

        // then
        ArgumentCaptor<OrderConfirmation> message = ArgumentCaptor.forClass(OrderConfirmation.class);
        verify(notifier).send(message.capture());
        assertThat(message.getValue()).isEqualTo(OrderConfirmations.compose(record.value()));
    }

    @Test
    void anOrderThatCannotBeConfirmedFailsWithoutSending() {
        // given no e-mail address
        ConsumerRecord<String, OrderCreated> record = record("");

        // when / then the exception reaches the error handler (retry, then dead letter)
        assertThatIllegalArgumentException().isThrownBy(() -> listener.onOrder(record));
        verify(notifier, never()).send(any());
    }

    @Test
    void aFailedSendFailsTheRecord() {
        // given
        doThrow(new IllegalStateException("mail server down")).when(notifier).send(any());

        // when / then the record is not acknowledged as processed
        assertThatIllegalStateException().isThrownBy(() -> listener.onOrder(record("ana@example.com")))
                .withMessage("mail server down");
    }
}
