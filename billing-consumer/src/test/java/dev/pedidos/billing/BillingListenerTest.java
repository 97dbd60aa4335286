package dev.pedidos.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;

import dev.pedidos.groups.deadletter.DeadLetterAutoConfiguration;
import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;

class BillingListenerTest {

    private static final String TOPIC = "pedidos-pendentes";

    private final InvoiceLedger ledger = mock(InvoiceLedger.class);
    private final BillingListener listener = new BillingListener(ledger, properties(), kafka(), new SimpleMeterRegistry());

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
