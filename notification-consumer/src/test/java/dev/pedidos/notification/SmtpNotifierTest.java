package dev.pedidos.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessagePreparator;

import dev.pedidos.events.Customer;
import dev.pedidos.events.OrderCreated;
import dev.pedidos.events.OrderItem;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** The MIME message written for a confirmation; the integration test reads one back from a real SMTP server. */
class SmtpNotifierTest {

    private final JavaMailSender mailSender = mock(JavaMailSender.class);
    private final SmtpNotifier notifier = new SmtpNotifier(mailSender, new PedidosProperties("pedidos-pendentes",
            new PedidosProperties.Mail("Loja <pedidos@loja.example>")));

    private static final OrderConfirmation CONFIRMATION = OrderConfirmations.compose(new OrderCreated(UUID.randomUUID(),
            UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"), Instant.parse("2025-11-21T12:00:00Z"),
            new Customer("c-1", "João Conceição", "joao@example.com"),
            List.of(new OrderItem("SKU-1", "Caneca açaí", 2, new BigDecimal("39.90"))), "BRL", new BigDecimal("79.80")));

    @Test
    void writesAPlainTextUtf8MailFromTheShopToTheCustomerWithTheDerivedMessageId() throws Exception {
        // when
        notifier.send(CONFIRMATION);

        // then
        MimeMessage message = written();
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
    void mailTheServerRefusesFailsTheSend() {
        // given
        willThrow(new MailSendException("550 mailbox unavailable")).given(mailSender).send(any(MimeMessagePreparator.class));

        // when / then
        assertThatExceptionOfType(MailSendException.class).isThrownBy(() -> notifier.send(CONFIRMATION));
    }

    /** Runs what the notifier handed to the sender on an empty message, as JavaMailSenderImpl does before sending it. */
    private MimeMessage written() throws Exception {
        ArgumentCaptor<MimeMessagePreparator> preparator = ArgumentCaptor.forClass(MimeMessagePreparator.class);
        verify(mailSender).send(preparator.capture());
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        preparator.getValue().prepare(message);
        return message;
    }
}
