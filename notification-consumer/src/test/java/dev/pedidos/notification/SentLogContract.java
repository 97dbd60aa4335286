package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;

import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.infra.SmtpServer.ReceivedMail;

/**
 * One e-mail per order, read back from the real SMTP server, and a durable sent log in the real
 * PostgreSQL: redelivery and retried POSTs send nothing twice, and a mail that was not sent is
 * not logged as sent (DESIGN G5).
 */
abstract class SentLogContract extends NotificationITSupport {

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Test
    void customerReceivesTheConfirmationWithSubjectMessageIdAndTotal() {
        // given an order of two items
        UUID orderId = UUID.randomUUID();
        OrderCreated order = order(orderId, "joao@example.com",
                new OrderItem("SKU-1", "Caneca azul", 2, new BigDecimal("19.90")),
                new OrderItem("SKU-2", "Caderno", 1, new BigDecimal("49.90")));
        String number = orderId.toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);

        // when
        RecordMetadata sent = send(order);

        // then the SMTP server received one e-mail from the shop to the customer (the sent log is written after)
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sentLogRows(orderId)).hasSize(1));
        assertThat(mails(orderId)).hasSize(1);
        ReceivedMail mail = mails(orderId).getFirst();
        assertThat(mail.from()).isEqualTo("pedidos@loja.example");
        assertThat(mail.to()).containsExactly("joao@example.com");
        assertThat(mail.subject()).isEqualTo("Pedido " + number + " confirmado");
        // with the Message-ID derived from the order ID (not the one JavaMail would generate)
        assertThat(mail.messageId()).isEqualTo("<order-" + orderId + "@pedidos.dev>");
        // and the items and total. The body is as transmitted (quoted-printable, "=" written as "=3D"),
        // so only ASCII fragments without "=" are compared here; the decoded text is SmtpNotifierTest's.
        assertThat(mail.body()).contains("(SKU-1): 19.90", "(SKU-2): 49.90", "Total: 89.70 BRL");
        // and the sent log says so, with where the order was read
        assertThat(sentLogRows(orderId)).singleElement().satisfies(row -> {
            assertThat(row.get("recipient")).isEqualTo("joao@example.com");
            assertThat(row.get("subject")).isEqualTo(mail.subject());
            assertThat(row.get("message_id")).isEqualTo(mail.messageId());
            assertThat(row.get("source_partition")).isEqualTo(sent.partition());
            assertThat(row.get("source_offset")).isEqualTo(sent.offset());
            assertThat(((Timestamp) row.get("sent_at")).toInstant()).isBefore(Instant.now());
        });
    }

    @Test
    void recordDeliveredAgainAfterASeekBackIsNotEMailedAgain(CapturedOutput output) throws Exception {
        // given an order that was e-mailed and whose offset was committed
        UUID orderId = UUID.randomUUID();
        RecordMetadata sent = send(order(orderId, "SKU-1", 1));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "E-mailed order " + orderId)).hasSize(1));

        // when the group's committed offset of that partition is moved back to the order, while the group is stopped
        TopicPartition partition = new TopicPartition(SOURCE, sent.partition());
        List<MessageListenerContainer> containers = List.copyOf(listeners.getListenerContainers());
        containers.forEach(MessageListenerContainer::stop);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            // Retried until the stopped members have left the group: offsets of a group with members cannot be altered.
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> admin.alterConsumerGroupOffsets("notification",
                    Map.of(partition, new OffsetAndMetadata(sent.offset()))).all().get());
        }
        finally {
            containers.forEach(MessageListenerContainer::start);
        }

        // then the record is delivered again, found in the sent log, and acknowledged without a second e-mail
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Order " + orderId)).singleElement()
                .asString().contains("partition " + sent.partition(), "offset " + sent.offset() + ")", "already sent"));
        assertThat(mails(orderId)).hasSize(1);
        assertThat(sentLogRows(orderId)).hasSize(1);
    }

    @Test
    void retriedPostOfTheSameOrderIsEMailedOnce(CapturedOutput output) {
        // given an order and its retry by the client: same order ID (from the Idempotency-Key), new event ID
        UUID orderId = UUID.randomUUID();
        OrderCreated first = order(orderId, "SKU-1", 2);
        OrderCreated retry = new OrderCreated(UUID.randomUUID(), orderId, first.occurredAt(), first.customer(),
                first.items(), first.currency(), first.totalAmount());

        // when both are published
        RecordMetadata firstSent = send(first);
        RecordMetadata retrySent = send(retry);

        // then the second is found in the sent log and not e-mailed
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Order " + orderId)).singleElement()
                .asString().contains("offset " + retrySent.offset() + ")", "already sent"));
        assertThat(mails(orderId)).hasSize(1);
        assertThat(sentLogRows(orderId)).singleElement()
                .satisfies(row -> assertThat(row.get("source_offset")).isEqualTo(firstSent.offset()));
    }

    /**
     * GreenMail accepts every recipient, so the failure here comes from the mail client: an address
     * with two consecutive dots is not a valid RFC 5322 dot-atom, JavaMail refuses to write it, and
     * Spring's sender throws a {@code MailParseException} before any byte reaches the server. (A
     * server's permanent refusal is dead-lettered at once, see
     * {@code NotificationConsumerContract}; an unreachable server is waited for, see
     * {@code SmtpOutageContract}.)
     */
    @Test
    void mailThatCannotBeSentIsRetriedThenDeadLetteredAndNotLoggedAsSent(CapturedOutput output) {
        // given an order whose customer address cannot be sent to
        UUID orderId = UUID.randomUUID();
        OrderCreated undeliverable = order(orderId, "ana..souza@example.com",
                new OrderItem("SKU-1", "Caneca", 1, new BigDecimal("19.90")));

        // when
        RecordMetadata sent = send(undeliverable);

        // then it is delivered three times (two retries), dead-lettered, and neither e-mailed nor logged
        ConsumerRecord<String, byte[]> dead = deadLetter(orderId.toString());
        assertThat(ByteBuffer.wrap(bytes(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(sent.offset());
        // (the batch listener names the record with a BatchListenerFailedException, whose cause it is)
        assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).contains("org.springframework.mail.MailParseException");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesWith(output, "Dead-lettered order " + orderId))
                .singleElement().asString().contains("WARN", "MailParseException"));
        // one line per failed delivery ("Delivery n of order ID (group ..."); the other lines quote the failure
        assertThat(linesWith(output, " of order " + orderId + " (group")).hasSize(3);
        assertThat(mails(orderId)).isEmpty();
        assertThat(sentLogRows(orderId)).isEmpty();

        // and when the order comes again with a corrected address, the group goes on and e-mails it (it was not
        // marked sent)
        send(order(orderId, "ana.souza@example.com", undeliverable.items().toArray(OrderItem[]::new)));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sentLogRows(orderId)).singleElement()
                .satisfies(row -> assertThat(row.get("recipient")).isEqualTo("ana.souza@example.com")));
        assertThat(mails(orderId)).singleElement()
                .satisfies(mail -> assertThat(mail.to()).containsExactly("ana.souza@example.com"));
    }
}
