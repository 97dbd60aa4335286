package dev.pedidos.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.events.OrderStatusChanged;
import dev.pedidos.events.OrderStatusChanged.Stage;
import dev.pedidos.groups.deadletter.DeadLetterAutoConfiguration;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusNotPublishedException;
import dev.pedidos.groups.status.StatusTopicProperties;
import dev.pedidos.groups.tracing.RecordTracing;

class BillingListenerTest {

    private static final String TOPIC = "pedidos-pendentes";

    private final InvoiceLedger ledger = mock(InvoiceLedger.class);
    @SuppressWarnings("unchecked")
    private final KafkaOperations<Object, Object> template = mock(KafkaOperations.class);
    private final OrderStatusPublisher status = new OrderStatusPublisher(template,
            new StatusTopicProperties("pedidos-status", 6, (short) 3, 2, Duration.ofDays(7), Duration.ofMillis(200)),
            "billing", Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));
    private final BillingListener listener = new BillingListener(ledger, properties(), kafka(), status,
            RecordTracing.noop(), new SimpleMeterRegistry());

    BillingListenerTest() {
        when(template.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    /** @return the steps sent, in order */
    @SuppressWarnings("unchecked")
    private List<OrderStatusChanged> sentSteps() {
        ArgumentCaptor<ProducerRecord<Object, Object>> sent = ArgumentCaptor.forClass(ProducerRecord.class);
        verify(template, atLeast(0)).send(sent.capture());
        return sent.getAllValues().stream().map(record -> (OrderStatusChanged) record.value()).toList();
    }

    private static PedidosProperties properties() {
        return new PedidosProperties(TOPIC);
    }

    private static KafkaProperties kafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getConsumer().setGroupId("billing");
        return kafka;
    }

    private static ConsumerRecord<String, OrderCreated> record(long offset, String totalAmount) {
        UUID orderId = UUID.randomUUID();
        OrderCreated order = new OrderCreated(UUID.randomUUID(), orderId, Instant.now(),
                new Customer("c-1", "Ana Souza", "ana@example.com"),
                List.of(new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"))), "BRL",
                new BigDecimal(totalAmount));
        return new ConsumerRecord<>(TOPIC, 4, offset, orderId.toString(), order);
    }

    /** A record as the container hands it to a batch listener when its value is not JSON. */
    private static ConsumerRecord<String, OrderCreated> undeserializable(long offset) {
        RecordHeaders headers = new RecordHeaders();
        try (var deserializer = new ErrorHandlingDeserializer<>(new JacksonJsonDeserializer<>(OrderCreated.class))) {
            OrderCreated value = deserializer.deserialize(TOPIC, headers, "{\"not json".getBytes(UTF_8));
            return new ConsumerRecord<>(TOPIC, 4, offset, 0L, TimestampType.CREATE_TIME, 0, 0, "k", value, headers,
                    java.util.Optional.empty());
        }
    }

    private static InvoiceLedger.Recorded invoiced(ConsumerRecord<?, ?> record) {
        return new InvoiceLedger.Recorded(InvoiceLedger.Outcome.INVOICED, "INV-X", record.partition(), record.offset());
    }

    private static List<InvoiceLedger.Entry> entries(List<ConsumerRecord<String, OrderCreated>> records) {
        return records.stream().map(r -> new InvoiceLedger.Entry(Invoices.issue(r.value()), r.partition(), r.offset())).toList();
    }

    @Test
    void listensToTheConfiguredSourceTopic() {
        assertThat(listener.topic()).isEqualTo(TOPIC);
    }

    @Test
    void recordsTheInvoicesOfAPollInOneCallWithTheirPartitionsAndOffsets() {
        // given
        List<ConsumerRecord<String, OrderCreated>> poll = List.of(record(42, "79.80"), record(43, "79.80"));
        when(ledger.record(anyList())).thenReturn(List.of(invoiced(poll.get(0)), invoiced(poll.get(1))));

        // when
        listener.onOrders(poll);

        // then
        verify(ledger).record(entries(poll));
    }

    @Test
    void duplicatesAndConflictsAreNotFailures() {
        // given the ledger already has both orders
        List<ConsumerRecord<String, OrderCreated>> poll = List.of(record(42, "79.80"), record(43, "79.80"));
        when(ledger.record(anyList())).thenReturn(List.of(
                new InvoiceLedger.Recorded(InvoiceLedger.Outcome.DUPLICATE, "INV-A", 4, 7),
                new InvoiceLedger.Recorded(InvoiceLedger.Outcome.CONFLICT, "INV-B", 4, 8)));

        // when / then no exception: their offsets get committed
        listener.onOrders(poll);
        verify(ledger).record(entries(poll));
    }

    @Test
    void invoicedAndDuplicateOrdersPublishTheirInvoicedStepAfterTheLedgerCommittedAndAConflictNone() {
        // given a new order, a redelivered one and one whose content differs from its invoice
        List<ConsumerRecord<String, OrderCreated>> poll = List.of(record(42, "79.80"), record(43, "79.80"),
                record(44, "79.80"));
        when(ledger.record(anyList())).thenReturn(List.of(
                new InvoiceLedger.Recorded(InvoiceLedger.Outcome.INVOICED, "INV-A", 4, 42),
                new InvoiceLedger.Recorded(InvoiceLedger.Outcome.DUPLICATE, "INV-B", 4, 7),
                new InvoiceLedger.Recorded(InvoiceLedger.Outcome.CONFLICT, "INV-C", 4, 8)));

        // when
        listener.onOrders(poll);

        // then the ledger first, then the steps, each from its own record with the ledger's invoice number
        InOrder order = inOrder(ledger, template);
        order.verify(ledger).record(anyList());
        order.verify(template, times(2)).send(any(ProducerRecord.class));
        assertThat(sentSteps()).satisfiesExactly(
                step -> {
                    assertThat(step.stage()).isEqualTo(Stage.INVOICED);
                    assertThat(step.orderId()).hasToString(poll.get(0).key());
                    assertThat(step.group()).isEqualTo("billing");
                    assertThat(step.sourcePartition()).isEqualTo(4);
                    assertThat(step.sourceOffset()).isEqualTo(42);
                    assertThat(step.invoice()).isEqualTo(new OrderStatusChanged.Invoice("INV-A", new BigDecimal("79.80"),
                            "BRL"));
                },
                step -> {
                    assertThat(step.orderId()).hasToString(poll.get(1).key());
                    assertThat(step.sourceOffset()).isEqualTo(43);
                    assertThat(step.invoice().number()).isEqualTo("INV-B");
                });
    }

    @Test
    void stepNotAcknowledgedNamesItsRecordToTheErrorHandler() {
        // given the brokers refuse the second record's step
        List<ConsumerRecord<String, OrderCreated>> poll = List.of(record(42, "79.80"), record(43, "79.80"),
                record(44, "79.80"));
        when(ledger.record(anyList())).thenReturn(poll.stream().map(BillingListenerTest::invoiced).toList());
        when(template.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null),
                CompletableFuture.failedFuture(new NotEnoughReplicasException("2 in-sync replicas required")),
                new CompletableFuture<SendResult<Object, Object>>());

        // when
        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onOrders(poll));

        // then the error handler commits the first and retries from the second, without limit
        assertThat(failure.getRecord()).isSameAs(poll.get(1));
        assertThat(failure).hasCauseInstanceOf(StatusNotPublishedException.class);
        assertThat(DeadLetterAutoConfiguration.statusNotPublished(failure)).isTrue();
    }

    @Test
    void stepsOfTheRecordsBeforeAFailedOneAreAwaitedBeforeItIsNamed() {
        // given the step of the good record before a poison one is not acknowledged
        ConsumerRecord<String, OrderCreated> good = record(42, "79.80");
        ConsumerRecord<String, OrderCreated> poison = undeserializable(43);
        when(ledger.record(anyList())).thenReturn(List.of(invoiced(good)));
        when(template.send(any(ProducerRecord.class))).thenReturn(new CompletableFuture<SendResult<Object, Object>>());

        // when
        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onOrders(List.of(good, poison)));

        // then the good one is named, not committed
        assertThat(failure.getRecord()).isSameAs(good);
        assertThat(failure).hasCauseInstanceOf(StatusNotPublishedException.class);
    }

    @Test
    void undeserializableRecordIsNamedToTheErrorHandlerAfterTheRecordsBeforeItAreRecorded() {
        // given
        ConsumerRecord<String, OrderCreated> good = record(42, "79.80");
        ConsumerRecord<String, OrderCreated> poison = undeserializable(43);
        ConsumerRecord<String, OrderCreated> after = record(44, "79.80");
        when(ledger.record(anyList())).thenReturn(List.of(invoiced(good)));

        // when
        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onOrders(List.of(good, poison, after)));

        // then
        assertThat(failure.getRecord()).isSameAs(poison);
        assertThat(failure).hasCauseInstanceOf(DeserializationException.class);
        verify(ledger).record(entries(List.of(good)));
    }

    @Test
    void orderThatCannotBeInvoicedIsNamedToTheErrorHandler() {
        // given a stated total that differs from the items, first in its poll
        ConsumerRecord<String, OrderCreated> wrong = record(42, "1.00");

        // when
        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onOrders(List.of(wrong, record(43, "79.80"))));

        // then nothing was recorded: there was nothing before it
        assertThat(failure.getRecord()).isSameAs(wrong);
        assertThat(failure).hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalAmount 1.00");
        verifyNoInteractions(ledger);
    }

    @Test
    void unavailableDatabaseFailsThePollAtItsFirstRecord() {
        // given
        List<ConsumerRecord<String, OrderCreated>> poll = List.of(record(42, "79.80"), record(43, "79.80"));
        when(ledger.record(anyList())).thenThrow(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"));

        // when
        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onOrders(poll));

        // then the error handler retries from the first record (without limit: the dead-letter module's DatabaseUnavailableTest)
        assertThat(failure.getRecord()).isSameAs(poll.getFirst());
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(failure)).isTrue();
        verify(ledger).record(anyList());
    }

    @Test
    void rowTheDatabaseRefusesIsFoundByRecordingOneAtATime() {
        // given a poll the database refuses as a whole, because of its second record
        List<ConsumerRecord<String, OrderCreated>> poll = List.of(record(42, "79.80"), record(43, "79.80"), record(44, "79.80"));
        List<InvoiceLedger.Entry> entries = entries(poll);
        var refused = new DataIntegrityViolationException("invalid byte sequence for encoding \"UTF8\": 0x00");
        when(ledger.record(entries)).thenThrow(refused);
        when(ledger.record(List.of(entries.get(0)))).thenReturn(List.of(invoiced(poll.get(0))));
        when(ledger.record(List.of(entries.get(1)))).thenThrow(refused);

        // when
        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onOrders(poll));

        // then the first is recorded, the second goes to the error handler, the third comes again
        assertThat(failure.getRecord()).isSameAs(poll.get(1));
        assertThat(failure).hasCause(refused);
        verify(ledger).record(List.of(entries.get(0)));
        verify(ledger, never()).record(List.of(entries.get(2)));
    }
}
