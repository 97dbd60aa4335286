package dev.pedidos.notification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import dev.pedidos.groups.deadletter.DependencyUnavailableException;
import dev.pedidos.groups.deadletter.PermanentFailureException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Sends confirmations as plain-text UTF-8 e-mails over SMTP through Boot's {@link JavaMailSender}
 * ({@code spring.mail.*}: host, port, timeouts). All messages of one call go over one SMTP session:
 * {@link JavaMailSender#send(MimeMessage...)} keeps its transport open from one message to the next,
 * so a poll of many orders pays for one connection and one greeting instead of one each.
 *
 * <p>The {@code Message-ID} is the confirmation's own, derived from the order ID. JavaMail would
 * replace it with a random one in {@code MimeMessage.saveChanges()} ({@code updateMessageID()}),
 * but Spring's {@code JavaMailSenderImpl} reads an explicitly set {@code Message-ID} before it
 * saves the message and sets it again afterwards; the integration test checks the header on the
 * e-mail the server received.
 *
 * <p>Failures are told apart by the SMTP reply code (RFC 5321 §4.2.1): class 5 (permanent) is a
 * {@link PermanentFailureException}, dead-lettered at once; class 4 (transient), a server that
 * cannot be reached or drops the connection (an {@link IOException} in the cause chain), and
 * rejected credentials are a {@link DependencyUnavailableException}, retried without limit.
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
     * Hands the e-mails to the SMTP server over one session and returns once the server answered each.
     * Spring's sender goes on with the next message after one was refused, and reconnects when the
     * connection was lost; when it cannot connect, every message not yet sent fails.
     */
    @Override
    public Map<UUID, RuntimeException> send(List<OrderConfirmation> messages) {
        Map<UUID, RuntimeException> failures = new LinkedHashMap<>();
        List<MimeMessage> written = new ArrayList<>(messages.size());
        Map<Object, UUID> orderOf = new IdentityHashMap<>();
        for (OrderConfirmation message : messages) {
            try {
                MimeMessage mime = write(message);
                written.add(mime);
                orderOf.put(mime, message.orderId());
            }
            catch (MessagingException e) {
                failures.put(message.orderId(), new MailParseException("Could not write the confirmation of order "
                        + message.orderId() + " to " + message.to(), e));
            }
        }
        if (written.isEmpty()) {
            return failures;
        }
        try {
            mailSender.send(written.toArray(MimeMessage[]::new));
        }
        catch (MailSendException e) {
            // Only the messages named failed; the others were accepted. None named: the session failed
            // after the server accepted every message (at QUIT).
            e.getFailedMessages().forEach((mime, failure) -> failures.put(orderOf.get(mime), classify(failure)));
        }
        catch (MailException e) {
            // Before any message was sent (e.g. authentication): none was accepted.
            RuntimeException failure = classify(e);
            written.forEach(mime -> failures.put(orderOf.get(mime), failure));
        }
        return failures;
    }

    private MimeMessage write(OrderConfirmation message) throws MessagingException {
        MimeMessage mime = mailSender.createMimeMessage();
        var helper = new MimeMessageHelper(mime, false, StandardCharsets.UTF_8.name());
        helper.setFrom(from);
        helper.setTo(message.to());
        helper.setSubject(message.subject());
        helper.setText(message.body(), false);
        mime.setHeader("Message-ID", message.messageId());
        return mime;
    }

    /**
     * @param failure what Spring's sender reported for one message
     * @return a {@link PermanentFailureException} for a 5xx reply, a {@link DependencyUnavailableException}
     *         for a 4xx reply, an I/O failure or rejected credentials, else the failure itself
     */
    static RuntimeException classify(Exception failure) {
        int reply = replyCode(failure);
        if (reply >= 500) {
            return new PermanentFailureException("The SMTP server refused the e-mail for good (reply " + reply + "): "
                    + oneLine(failure), failure);
        }
        if (reply >= 400 || failure instanceof MailAuthenticationException || hasCause(failure, IOException.class)) {
            return new DependencyUnavailableException("The SMTP server is unavailable"
                    + (reply > 0 ? " (reply " + reply + ")" : "") + ": " + oneLine(failure), failure);
        }
        return failure instanceof RuntimeException runtime ? runtime
                : new MailSendException("The SMTP server did not accept the e-mail", failure);
    }

    /** @return the SMTP reply code of the first SMTP failure in the cause chain, or -1 */
    private static int replyCode(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            switch (cause) {
                case SMTPAddressFailedException address -> {
                    return address.getReturnCode();
                }
                case SMTPSenderFailedException sender -> {
                    return sender.getReturnCode();
                }
                case SMTPSendFailedException send -> {
                    return send.getReturnCode();
                }
                default -> {
                }
            }
        }
        return -1;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable failure) {
        return String.valueOf(failure.getMessage()).replaceAll("\\s+", " ").strip();
    }
}
