package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.mockito.ArgumentCaptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.mail.MailSendException;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.status.StatusTopicProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The Kafka edge alone: the rule with its mail and log replaced by mocks. */
@ExtendWith(OutputCaptureExtension.class)
class NotificationListenerTest {

    private final Notifier notifier = mock(Notifier.class);
    private final SentLog sentLog = mock(SentLog.class);
    @SuppressWarnings("unchecked")
    private final KafkaOperations<Object, Object> template = mock(KafkaOperations.class);
    private final NotificationListener listener = new NotificationListener(
            new OrderConfirmations(notifier, sentLog, new SimpleMeterRegistry()),
            new OrderStatusPublisher(template, new StatusTopicProperties("pedidos-status", 6, (short) 3, 2,
                    Duration.ofDays(7), Duration.ofSeconds(1)), "notification", Clock.systemUTC()),
            properties(), kafka());

    @BeforeEach
    void brokersAcknowledge() {
        given(template.send(any(ProducerRecord.class))).willReturn(CompletableFuture.completedFuture(null));
    }

    /** @return the steps published to the status topic */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<ProducerRecord<Object, Object>> published() {
        ArgumentCaptor<ProducerRecord> sent = ArgumentCaptor.forClass(ProducerRecord.class);
        verify(template, atLeast(0)).send(sent.capture());
        return (List) sent.getAllValues();
    }

    private static void assertConfirmationSent(ProducerRecord<Object, Object> published,
            ConsumerRecord<String, OrderCreated> source) {
        assertThat(published.topic()).isEqualTo("pedidos-status");
        assertThat(published.key()).isEqualTo(source.key());
        assertThat(published.value()).isInstanceOfSatisfying(OrderStatusChanged.class, step -> {
            assertThat(step.stage()).isEqualTo(OrderStatusChanged.Stage.CONFIRMATION_SENT);
            assertThat(step.group()).isEqualTo("notification");
            assertThat(step.orderId()).isEqualTo(source.value().orderId());
            assertThat(step.sourcePartition()).isEqualTo(source.partition());
            assertThat(step.sourceOffset()).isEqualTo(source.offset());
            assertThat(step.email()).isEqualTo(new OrderStatusChanged.Email(
                    OrderConfirmations.messageId(source.value().orderId()), source.value().customer().email()));
        });
    }

    private static PedidosProperties properties() {
        return new PedidosProperties("pedidos-pendentes",
                new PedidosProperties.Mail("pedidos@loja.example"));
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
    void sendsTheComposedConfirmationAndLogsOneLine(CapturedOutput output) {
        // given
        ConsumerRecord<String, OrderCreated> record = record("ana@example.com");
        given(sentLog.record(any())).willReturn(true);

        // when
        listener.onOrder(record);

        // then
        verify(notifier).send(OrderConfirmations.compose(record.value()));
        assertThat(output.getOut().lines().filter(line -> line.contains(record.key())))
                .singleElement().asString()
                .contains("INFO", "E-mailed order " + record.key(), "group notification", "partition 4", "offset 42",
                        "ana@example.com");
        assertThat(published()).singleElement().satisfies(step -> assertConfirmationSent(step, record));
    }

    @Test
    void orderAlreadySentIsAcknowledgedWithoutMail(CapturedOutput output) {
        // given
        ConsumerRecord<String, OrderCreated> record = record("ana@example.com");
        given(sentLog.contains(record.value().orderId())).willReturn(true);

        // when
        listener.onOrder(record);

        // then
        verify(notifier, never()).send(any());
        assertThat(output.getOut()).contains("Order " + record.key() + " (group notification, partition 4, offset 42) already sent");
        // and its step published again: the first publication may have been lost in a crash before the commit
        assertThat(published()).singleElement().satisfies(step -> assertConfirmationSent(step, record));
    }

    @Test
    void aStepTheBrokersDoNotAcknowledgeFailsTheRecordAfterTheSentLog() {
        // given
        ConsumerRecord<String, OrderCreated> record = record("ana@example.com");
        given(sentLog.record(any())).willReturn(true);
        given(template.send(any(ProducerRecord.class)))
                .willReturn(CompletableFuture.failedFuture(new TimeoutException("no broker")));

        // when / then the offset is not committed (retried without limit), and the e-mail is already logged
        assertThatExceptionOfType(StatusNotPublishedException.class).isThrownBy(() -> listener.onOrder(record));
        verify(sentLog).record(any());
    }

    @Test
    void anOrderThatCannotBeConfirmedFailsWithoutSending() {
        // given no e-mail address
        ConsumerRecord<String, OrderCreated> record = record("");

        // when / then the exception reaches the error handler (retry, then dead letter)
        assertThatIllegalArgumentException().isThrownBy(() -> listener.onOrder(record));
        verify(notifier, never()).send(any());
        assertThat(published()).isEmpty();
    }

    @Test
    void aFailedSendFailsTheRecord() {
        // given
        willThrow(new MailSendException("mail server down")).given(notifier).send(any());

        // when / then the record is not acknowledged as processed
        assertThatExceptionOfType(MailSendException.class)
                .isThrownBy(() -> listener.onOrder(record("ana@example.com")))
                .withMessage("mail server down");
    }

    @Test
    void aTombstoneFailsTheRecord() {
        ConsumerRecord<String, OrderCreated> tombstone = new ConsumerRecord<>("pedidos-pendentes", 4, 42L, "k", null);

        assertThatNullPointerException().isThrownBy(() -> listener.onOrder(tombstone)).withMessage("record has no value");
    }
}
