package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.net.ConnectException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import dev.pedidos.groups.deadletter.DependencyUnavailableException;
import dev.pedidos.groups.deadletter.PermanentFailureException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * The MIME messages written for confirmations, one call of the sender for them all, and how a
 * failure is classified; the integration tests read e-mails back from a real SMTP server.
 */
class SmtpNotifierTest {

    private final JavaMailSender mailSender = mock(JavaMailSender.class);
    private final SmtpNotifier notifier = new SmtpNotifier(mailSender, new PedidosProperties("pedidos-pendentes",
            new PedidosProperties.Mail("Loja <pedidos@loja.example>")));

    private static final OrderConfirmation CONFIRMATION = confirmation(
            UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"), "joao@example.com");

    private static OrderConfirmation confirmation(UUID orderId, String email) {
        return OrderConfirmations.compose(new OrderCreated(UUID.randomUUID(), orderId,
                Instant.parse("2025-11-21T12:00:00Z"), new Customer("c-1", "João Conceição", email),
                List.of(new OrderItem("SKU-1", "Caneca açaí", 2, new BigDecimal("39.90"))), "BRL",
                new BigDecimal("79.80")));
    }

    SmtpNotifierTest() {
        given(mailSender.createMimeMessage()).willAnswer(call -> new MimeMessage(Session.getInstance(new Properties())));
    }

    @Test
    void writesAPlainTextUtf8MailFromTheShopToTheCustomerWithTheDerivedMessageId() throws Exception {
        // when
        assertThat(notifier.send(List.of(CONFIRMATION))).isEmpty();

        // then
        MimeMessage message = written().getFirst();
        assertThat(message.getFrom()).containsExactly(new InternetAddress("pedidos@loja.example", "Loja"));
        assertThat(message.getRecipients(RecipientType.TO)).containsExactly(new InternetAddress("joao@example.com"));
        assertThat(message.getSubject()).isEqualTo("Pedido 1A2B3C4D5E6F confirmado");
        assertThat(message.getHeader("Message-ID")).containsExactly("<order-1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d@pedidos.dev>");
        // (saveChanges writes the MIME headers, and a random Message-ID that JavaMailSenderImpl replaces again)
        message.saveChanges();
        assertThat(message.getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
        assertThat(message.getContent()).isEqualTo(CONFIRMATION.body());
        assertThat(CONFIRMATION.body()).contains("Olá, João Conceição!", "2 × Caneca açaí (SKU-1): 39.90 = 79.80 BRL",
                "Total: 79.80 BRL");
    }

    @Test
    void allMessagesGoToTheSenderInOneCall() throws Exception {
        // when
        notifier.send(List.of(confirmation(UUID.randomUUID(), "a@example.com"),
                confirmation(UUID.randomUUID(), "b@example.com")));

        // then
        assertThat(written()).extracting(message -> message.getRecipients(RecipientType.TO)[0].toString())
                .containsExactly("a@example.com", "b@example.com");
    }

    @Test
    void aRecipientRefusedWith5xxFailsThatMessageAloneForGood() {
        // given the server refuses the second recipient with 550, as SMTPTransport reports it
        OrderConfirmation first = confirmation(UUID.randomUUID(), "a@example.com");
        OrderConfirmation refused = confirmation(UUID.randomUUID(), "refused@example.com");
        failing(1, new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(
                address("refused@example.com"), "RCPT TO:<refused@example.com>", 550, "550 5.1.1 mailbox unavailable")));

        // when
        Map<UUID, RuntimeException> failures = notifier.send(List.of(first, refused));

        // then
        assertThat(failures).containsOnlyKeys(refused.orderId());
        assertThat(failures.get(refused.orderId())).isInstanceOf(PermanentFailureException.class)
                .hasMessageContaining("reply 550");
    }

    @Test
    void aTransient4xxReplyMeansTheServerIsUnavailable() {
        failing(0, new SendFailedException("Invalid Addresses", new SMTPAddressFailedException(
                address("a@example.com"), "RCPT TO:<a@example.com>", 451, "451 4.3.0 try again later")));

        assertThat(notifier.send(List.of(CONFIRMATION)).get(CONFIRMATION.orderId()))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("reply 451");
    }

    @Test
    void aServerThatCannotBeReachedIsUnavailable() {
        // given
        MessagingException refusedConnection = new MessagingException("Couldn't connect to host",
                new ConnectException("Connection refused"));
        willAnswer(call -> {
            Map<Object, Exception> failed = new LinkedHashMap<>();
            for (Object message : call.getArguments()) {
                failed.put(message, refusedConnection);
            }
            throw new MailSendException("Mail server connection failed", refusedConnection, failed);
        }).given(mailSender).send(any(MimeMessage[].class));

        // when
        Map<UUID, RuntimeException> failures = notifier.send(List.of(CONFIRMATION));

        // then
        assertThat(failures.get(CONFIRMATION.orderId())).isInstanceOf(DependencyUnavailableException.class);
    }

    /** The sender fails the message at this index with this exception and accepts the others. */
    private void failing(int index, Exception failure) {
        willAnswer(call -> {
            Object message = call.getArguments()[index];
            throw new MailSendException(Map.of(message, failure));
        }).given(mailSender).send(any(MimeMessage[].class));
    }

    private static InternetAddress address(String address) {
        try {
            return new InternetAddress(address);
        }
        catch (MessagingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The messages handed to the sender, in one call. */
    private List<MimeMessage> written() {
        ArgumentCaptor<MimeMessage[]> sent = ArgumentCaptor.forClass(MimeMessage[].class);
        verify(mailSender).send(sent.capture());
        return List.of(sent.getValue());
    }
}
