package dev.pedidos.groups.deadletter;

/**
 * A server refused the record's side effect for good (for notification: an SMTP reply of class 5,
 * "permanent negative completion", RFC 5321 §4.2.1). Retrying cannot help, so the error handler of
 * {@link DeadLetterAutoConfiguration} dead-letters the record at the first failure.
 */
public class PermanentFailureException extends RuntimeException {

    /**
     * @param message which server refused what, with its reply
     * @param cause   the client's failure
     */
    public PermanentFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
