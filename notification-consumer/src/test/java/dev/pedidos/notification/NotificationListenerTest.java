package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.groups.deadletter.PermanentFailureException;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.status.StatusTopicProperties;
import dev.pedidos.groups.tracing.RecordTracing;
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
            RecordTracing.noop(), properties(), kafka());

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
        return record(email, 42L);
    }

    private static ConsumerRecord<String, OrderCreated> record(String email, long offset) {
        UUID orderId = UUID.randomUUID();
        OrderCreated order = new OrderCreated(UUID.randomUUID(), orderId, Instant.now(),
                new Customer("c-1", "Ana Souza", email),
                List.of(new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"))), "BRL",
                new BigDecimal("79.80"));
        return new ConsumerRecord<>("pedidos-pendentes", 4, offset, orderId.toString(), order);
    }

    @Test
    void listensToTheConfiguredSourceTopic() {
        assertThat(listener.topic()).isEqualTo("pedidos-pendentes");
    }

    @Test
    void sendsTheComposedConfirmationAndLogsOneLine(CapturedOutput output) {
        // given
        ConsumerRecord<String, OrderCreated> record = record("ana@example.com");
        given(sentLog.recordAll(any())).willReturn(List.of(true));

        // when
        listener.onOrders(List.of(record));

        // then
        verify(notifier).send(List.of(OrderConfirmations.compose(record.value())));
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
        given(sentLog.sentAmong(any())).willReturn(Set.of(record.value().orderId()));

        // when
        listener.onOrders(List.of(record));

        // then
        verify(notifier, never()).send(any());
        assertThat(output.getOut()).contains("Order " + record.key() + " (group notification, partition 4, offset 42) already sent");
        // and its step published again: the first publication may have been lost in a crash before the commit
        assertThat(published()).singleElement().satisfies(step -> assertConfirmationSent(step, record));
    }

    @Test
    void aStepTheBrokersDoNotAcknowledgeNamesItsRecordAfterTheSentLog() {
        // given
        ConsumerRecord<String, OrderCreated> record = record("ana@example.com");
        given(sentLog.recordAll(any())).willReturn(List.of(true));
        given(template.send(any(ProducerRecord.class)))
                .willReturn(CompletableFuture.failedFuture(new TimeoutException("no broker")));

        // when / then the offset is not committed (retried without limit), and the e-mail is already logged
        assertThatExceptionOfType(BatchListenerFailedException.class).isThrownBy(() -> listener.onOrders(List.of(record)))
                .withCauseInstanceOf(StatusNotPublishedException.class)
                .satisfies(e -> assertThat(e.getRecord()).isSameAs(record));
        verify(sentLog).recordAll(any());
    }

    @Test
    void theRecordWhoseMailFailedIsNamedAfterTheOthersWereSentAndTheStepsBeforeItPublished() {
        // given three records, the server refuses the second one's e-mail
        ConsumerRecord<String, OrderCreated> first = record("ana@example.com", 40L);
        ConsumerRecord<String, OrderCreated> refused = record("refused@example.com", 41L);
        ConsumerRecord<String, OrderCreated> third = record("bia@example.com", 42L);
        PermanentFailureException refusal = new PermanentFailureException("550 mailbox unavailable", null);
        given(notifier.send(any())).willReturn(Map.of(refused.value().orderId(), refusal));
        given(sentLog.recordAll(any())).willReturn(List.of(true, true));

        // when / then the error handler learns which record failed, and why
        assertThatExceptionOfType(BatchListenerFailedException.class)
                .isThrownBy(() -> listener.onOrders(List.of(first, refused, third)))
                .withCause(refusal)
                .satisfies(e -> assertThat(e.getRecord()).isSameAs(refused));
        // the other two e-mails were sent once, in one call, and the step of the one before it published
        verify(notifier).send(any());
        assertThat(published()).singleElement().satisfies(step -> assertConfirmationSent(step, first));
    }

    @Test
    void anOrderThatCannotBeConfirmedFailsWithoutSending() {
        // given no e-mail address
        ConsumerRecord<String, OrderCreated> record = record("");

        // when / then the exception reaches the error handler (retry, then dead letter)
        assertThatExceptionOfType(BatchListenerFailedException.class).isThrownBy(() -> listener.onOrders(List.of(record)))
                .withCauseInstanceOf(IllegalArgumentException.class);
        verify(notifier, never()).send(any());
        assertThat(published()).isEmpty();
    }

    @Test
    void anUnavailableSentLogNamesTheFirstRecord() {
        // given
        ConsumerRecord<String, OrderCreated> first = record("ana@example.com", 40L);
        given(sentLog.sentAmong(any())).willThrow(new DataAccessResourceFailureException("database gone"));

        // when / then
        assertThatExceptionOfType(BatchListenerFailedException.class)
                .isThrownBy(() -> listener.onOrders(List.of(first, record("bia@example.com", 41L))))
                .withCauseInstanceOf(DataAccessResourceFailureException.class)
                .satisfies(e -> assertThat(e.getRecord()).isSameAs(first));
        verify(notifier, never()).send(any());
    }

    @Test
    void aTombstoneFailsAfterTheRecordsBeforeIt() {
        ConsumerRecord<String, OrderCreated> before = record("ana@example.com", 41L);
        ConsumerRecord<String, OrderCreated> tombstone = new ConsumerRecord<>("pedidos-pendentes", 4, 42L, "k", null);
        given(sentLog.recordAll(any())).willReturn(List.of(true));

        assertThatExceptionOfType(BatchListenerFailedException.class)
                .isThrownBy(() -> listener.onOrders(List.of(before, tombstone)))
                .withCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getRecord()).isSameAs(tombstone));
        assertThat(published()).singleElement().satisfies(step -> assertConfirmationSent(step, before));
    }
}
