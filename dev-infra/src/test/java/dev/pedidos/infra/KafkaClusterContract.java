package dev.pedidos.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link KafkaCluster} does, whatever runs its nodes; {@link LocalKafkaClusterIT} and
 * {@link ContainerKafkaClusterIT} run it on broker processes and on Docker containers.
 */
abstract class KafkaClusterContract {

    /** @return the cluster under test, running */
    abstract KafkaCluster cluster();

    @Test
    void acknowledgedRecordsSurviveTheCrashOfOneNode() throws Exception {
        KafkaCluster cluster = cluster();
        String topic = createTopic(cluster.bootstrapServers());
        List<String> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
            acked.addAll(send(producer, topic, 100));

            cluster.killBroker(2);
            try {
                acked.addAll(send(producer, topic, 100));
            } finally {
                cluster.startBroker(2);
            }
        }

        assertThat(acked).hasSize(200);
        assertThat(readAll(cluster.bootstrapServers(), topic, acked.size())).containsExactlyInAnyOrderElementsOf(acked);
    }

    @Test
    void topicsAreNotCreatedByProducingToThem() throws Exception {
        KafkaCluster cluster = cluster();
        String topic = "never-declared-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers());
                Admin admin = admin(cluster.bootstrapServers())) {
            Future<RecordMetadata> send = producer.send(new ProducerRecord<>(topic, "k", "v"));
            assertThat(send).failsWithin(Duration.ofSeconds(10));
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    static String createTopic(String bootstrapServers) throws Exception {
        String topic = "cluster-it-" + UUID.randomUUID();
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
        return topic;
    }

    static List<String> send(KafkaProducer<String, String> producer, String topic, int count) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = UUID.randomUUID().toString();
            values.add(value);
            sends.add(producer.send(new ProducerRecord<>(topic, value, value)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
        return values;
    }

    static List<String> readAll(String bootstrapServers, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }

    static KafkaProducer<String, String> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
