package dev.pedidos.groups.status;

import org.springframework.kafka.KafkaException;

/**
 * The brokers did not acknowledge a step of an order's journey in time. The source record's offset
 * must not be committed: the error handler retries the record without limit (the order is not at
 * fault), and the step is published again.
 */
public class StatusNotPublishedException extends KafkaException {

    /**
     * @param message what was not published
     * @param cause   the send's failure or the timeout
     */
    public StatusNotPublishedException(String message, Throwable cause) {
        super(message, cause);
    }
}
