package dev.pedidos.notification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Delivers order confirmations to customers: the side effect of notification, behind an interface
 * so that the rule of {@link OrderConfirmations} is tested alone. Implemented by {@link SmtpNotifier}.
 */
interface Notifier {

    /**
     * Sends the messages and returns once the mail server answered each of them.
     *
     * @param messages confirmations of distinct orders, in the order to send them
     * @return the failure of each message the server did not accept, by order ID, in sending order;
     *         every message not in it was accepted. A failure is a
     *         {@code dev.pedidos.groups.deadletter.DependencyUnavailableException} when the server
     *         could not be reached or answered "try again later" (retried without limit), a
     *         {@code dev.pedidos.groups.deadletter.PermanentFailureException} when it refused the
     *         message for good (dead-lettered at once), or another exception (an
     *         {@code org.springframework.mail.MailException}: retried with back-off, then dead-lettered)
     */
    Map<UUID, RuntimeException> send(List<OrderConfirmation> messages);
}
