package dev.pedidos.notification;

import java.nio.charset.StandardCharsets;

import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends confirmations as plain-text UTF-8 e-mails over SMTP through Boot's {@link JavaMailSender}
 * ({@code spring.mail.*}: host, port, timeouts). One SMTP session per e-mail.
 *
 * <p>The {@code Message-ID} is the confirmation's own, derived from the order ID. JavaMail would
 * replace it with a random one in {@code MimeMessage.saveChanges()} ({@code updateMessageID()}),
 * but Spring's {@code JavaMailSenderImpl} reads an explicitly set {@code Message-ID} before it
 * saves the message and sets it again afterwards; the integration test checks the header on the
 * e-mail the server received.
 */
@Component
class SmtpNotifier implements Notifier {

    private final JavaMailSender mailSender;
    private final String from;

    SmtpNotifier(JavaMailSender mailSender, PedidosProperties properties) {
        this.mailSender = mailSender;
        this.from = properties.mail().from();
    }

    /**
     * Hands the e-mail to the SMTP server and returns once the server accepted it.
     *
     * @throws MailException when it was not accepted: {@code MailParseException} for an address the
     *         mail client cannot write, {@code MailSendException} when the server is unreachable,
     *         times out or refuses the message, {@code MailAuthenticationException}
     */
    @Override
    public void send(OrderConfirmation message) {
        mailSender.send(mimeMessage -> {
            var helper = new MimeMessageHelper(mimeMessage, false, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(message.to());
            helper.setSubject(message.subject());
            helper.setText(message.body(), false);
            mimeMessage.setHeader("Message-ID", message.messageId());
        });
    }
}
