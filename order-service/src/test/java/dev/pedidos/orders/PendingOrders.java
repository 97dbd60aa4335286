package dev.pedidos.orders;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test-side reader of {@code pedidos-pendentes}: a plain {@link KafkaConsumer} (no group, no
 * commits) assigned to every partition from the beginning, values as raw JSON text.
 */
final class PendingOrders implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, String>> read = new ArrayList<>();

    PendingOrders(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until {@code count} records keyed {@code key} were read, and returns them. */
    List<ConsumerRecord<String, String>> awaitKeyed(String key, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return keyed(key).size() >= count;
        });
        return keyed(key);
    }

    /**
     * Reads until the position in every partition reaches the end offset it had when this was
     * called, i.e. everything written until now, and returns all records read so far.
     */
    List<ConsumerRecord<String, String>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        return List.copyOf(read);
    }

    /** Reads what arrived since the last call; returns all records read so far. */
    List<ConsumerRecord<String, String>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        return List.copyOf(read);
    }

    List<ConsumerRecord<String, String>> keyed(String key) {
        return read.stream().filter(record -> key.equals(record.key())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
