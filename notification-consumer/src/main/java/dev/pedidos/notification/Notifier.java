package dev.pedidos.notification;

/**
 * Delivers order confirmations to customers: the side effect of notification, behind an interface
 * so that the rule of {@link OrderConfirmations} is tested alone. Implemented by {@link SmtpNotifier}.
 */
interface Notifier {

    /**
     * Sends the message and returns once the mail server accepted it.
     *
     * @param message the composed confirmation
     * @throws RuntimeException when it was not accepted (an {@code org.springframework.mail.MailException}
     *         for SMTP); the record is then retried and finally dead-lettered, and nothing is logged as sent
     */
    void send(OrderConfirmation message);
}
