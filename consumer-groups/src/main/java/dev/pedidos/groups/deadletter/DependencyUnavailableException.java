package dev.pedidos.groups.deadletter;

/**
 * A server that a consumer group depends on, other than its database (for notification: the SMTP
 * server), is unavailable for a while: it cannot be reached, or it answered "try again later". The
 * record is not at fault, so the error handler of {@link DeadLetterAutoConfiguration} retries it
 * without limit at {@code pedidos.retry.database-unavailable-interval}, exactly as while the
 * database is unavailable, and never dead-letters it.
 */
public class DependencyUnavailableException extends RuntimeException {

    /**
     * @param message which server, and what happened
     * @param cause   the client's failure
     */
    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
