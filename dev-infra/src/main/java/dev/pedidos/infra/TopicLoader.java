package dev.pedidos.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Loads records into a topic in bulk, as the benchmarks pre-load the orders they then drain. */
public final class TopicLoader {

    private TopicLoader() {
    }

    /**
     * Produces the records with {@code acks=all} in large batches (256 KiB, linger 20 ms, no
     * compression) and waits until every one is acknowledged.
     *
     * @param bootstrapServers the cluster, {@code host:port,...}
     * @param records          key and value (bytes) of each, with their topic and headers
     * @return how long it took, in ms
     * @throws IllegalStateException when a record was not acknowledged (its cause attached)
     * @throws InterruptedException  when interrupted while waiting
     */
    public static long produceAll(String bootstrapServers, List<ProducerRecord<String, byte[]>> records)
            throws InterruptedException {
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("A record was not acknowledged", e.getCause());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
