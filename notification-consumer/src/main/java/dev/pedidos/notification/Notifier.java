package dev.pedidos.notification;

/**
 * Delivers order confirmations to customers: the side effect of notification, behind an interface
 * so that the listener's logic is tested alone.
 */
interface Notifier {

    /**
     * Sends the message. At least once: a redelivered event may send it again (DESIGN G5).
     *
     * @param message the composed confirmation
     * @throws RuntimeException when it could not be sent; the record is then retried and finally
     *         dead-lettered
     */
    void send(OrderConfirmation message);
}
