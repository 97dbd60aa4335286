package dev.pedidos.groups.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;

/** {@link RecordValues} on records as the container hands them to a batch listener. */
class RecordValuesTest {

    private static final String TOPIC = "pedidos-pendentes";

    /** A value type of this test: the JSON deserializer needs a class it can build. */
    record Order(String orderId) {
    }

    @Test
    void aDeserializedValueIsReturned() {
        Order order = new Order("o-1");

        assertThat(RecordValues.valueOf(new ConsumerRecord<>(TOPIC, 4, 42L, "o-1", order))).isSameAs(order);
    }

    @Test
    void aValueThatWasNotJsonThrowsTheDeserializersFailureWithTheOriginalBytes() {
        RecordHeaders headers = new RecordHeaders();
        Order value;
        try (var deserializer = new ErrorHandlingDeserializer<>(new JacksonJsonDeserializer<>(Order.class))) {
            value = deserializer.deserialize(TOPIC, headers, "{\"not json".getBytes(UTF_8));
        }
        ConsumerRecord<String, Order> record = new ConsumerRecord<>(TOPIC, 4, 42L, 0L, TimestampType.CREATE_TIME, 0, 0,
                "k", value, headers, Optional.empty());

        assertThatExceptionOfType(DeserializationException.class).isThrownBy(() -> RecordValues.valueOf(record))
                .satisfies(failure -> assertThat(new String(failure.getData(), UTF_8)).isEqualTo("{\"not json"));
    }

    @Test
    void aTombstoneIsAnInvalidArgumentNamingItsPartitionAndOffset() {
        ConsumerRecord<String, Order> tombstone = new ConsumerRecord<>(TOPIC, 4, 42L, "k", null);

        assertThatIllegalArgumentException().isThrownBy(() -> RecordValues.valueOf(tombstone))
                .withMessageContaining("tombstone").withMessageContaining("partition 4 offset 42");
    }
}
