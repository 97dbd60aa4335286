package dev.pedidos.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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

class BillingListenerTest {

    private final InvoiceLedger ledger = mock(InvoiceLedger.class);
    private final BillingListener listener = new BillingListener(ledger, properties(), kafka());

    private static PedidosProperties properties() {
        return new PedidosProperties("pedidos-pendentes",
                new PedidosProperties.DeadLetter("pedidos-pendentes-billing-dlt", 6, (short) 3, 2, Duration.ofDays(28)),
                new PedidosProperties.Retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 3));
    }

    private static KafkaProperties kafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getConsumer().setGroupId("billing");
        return kafka;
    }

    private static ConsumerRecord<String, OrderCreated> record(String totalAmount) {
        UUID orderId = UUID.randomUUID();
        OrderCreated order = new OrderCreated(UUID.randomUUID(), orderId, Instant.now(),
                new Customer("c-1", "Ana Souza", "ana@example.com"),
                List.of(new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("39.90"))), "BRL",
                new BigDecimal(totalAmount));
        return new ConsumerRecord<>("pedidos-pendentes", 4, 42L, orderId.toString(), order);
    }

    @Test
    void listensToTheConfiguredSourceTopic() {
        assertThat(listener.topic()).isEqualTo("pedidos-pendentes");
    }

    @Test
    void recordsTheIssuedInvoiceWithTheRecordsPartitionAndOffset() {
        // given
        ConsumerRecord<String, OrderCreated> record = record("79.80");
        when(ledger.record(any(), anyInt(), anyLong())).thenReturn(true);

        // when
        listener.onOrder(record);

        // then
        ArgumentCaptor<Invoice> invoice = ArgumentCaptor.forClass(Invoice.class);
        verify(ledger).record(invoice.capture(), eq(4), eq(42L));
        assertThat(invoice.getValue().orderId()).isEqualTo(record.value().orderId());
        assertThat(invoice.getValue().total()).isEqualByComparingTo("79.80");
    }

    @Test
    void aRedeliveredOrderIsHandedToTheLedgerWhichDecides() {
        // given the ledger already has this order's invoice
        ConsumerRecord<String, OrderCreated> record = record("79.80");
        when(ledger.record(any(), anyInt(), anyLong())).thenReturn(false);

        // when
        listener.onOrder(record);

        // then no exception: a duplicate is not a failure, its offset gets committed
        verify(ledger).record(any(), eq(4), eq(42L));
    }

    @Test
    void anOrderThatCannotBeInvoicedFailsWithoutTouchingTheLedger() {
        // given a stated total that differs from the items
        ConsumerRecord<String, OrderCreated> record = record("1.00");

        // when / then the exception reaches the error handler (retry, then dead letter)
        assertThatIllegalArgumentException().isThrownBy(() -> listener.onOrder(record));
        verify(ledger, never()).record(any(), anyInt(), anyLong());
    }
}
