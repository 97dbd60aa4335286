package dev.pedidos.groups.deadletter;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The value of a record that a batch listener received through Spring Kafka's
 * {@code ErrorHandlingDeserializer}: a batch listener is handed the records whose value could not be
 * deserialized too, with a {@code null} value and the failure in a header, and must fail on them
 * itself, naming the record, so that {@link DeadLetterAutoConfiguration}'s error handler dead-letters
 * it byte for byte (DESIGN G6).
 */
public final class RecordValues {

    private static final LogAccessor log = new LogAccessor(RecordValues.class);

    private RecordValues() {
    }

    /**
     * @param record a record of the listener's batch
     * @param <V>    the value's type
     * @return its value, never null
     * @throws DeserializationException when its bytes were not a {@code V}: the failure the
     *                                  deserializer left in the record's
     *                                  {@code springDeserializerExceptionValue} header
     * @throws IllegalArgumentException for a record without value (a tombstone); neither is retried
     *                                  by the group's error handler, both are deterministic
     */
    public static <V> V valueOf(ConsumerRecord<?, V> record) {
        if (record.value() != null) {
            return record.value();
        }
        DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, log);
        if (failure != null) {
            throw failure;
        }
        throw new IllegalArgumentException("record has no value (a tombstone): partition %d offset %d"
                .formatted(record.partition(), record.offset()));
    }
}
