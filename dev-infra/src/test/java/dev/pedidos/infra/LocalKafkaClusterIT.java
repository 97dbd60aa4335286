package dev.pedidos.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.pedidos.infra.KafkaClusterContract.createTopic;
import static dev.pedidos.infra.KafkaClusterContract.producer;
import static dev.pedidos.infra.KafkaClusterContract.readAll;
import static dev.pedidos.infra.KafkaClusterContract.send;
import static org.assertj.core.api.Assertions.assertThat;

/** The cluster contract on broker processes of this machine, and what only they do. */
class LocalKafkaClusterIT extends KafkaClusterContract {

    @Override
    KafkaCluster cluster() {
        return LocalKafkaCluster.shared();
    }

    @Test
    void aClusterInADirectoryKeepsItsRecordsAcrossRestarts(@TempDir Path directory) throws Exception {
        String topic;
        List<String> acked;
        try (LocalKafkaCluster cluster = LocalKafkaCluster.builder().directory(directory).start()) {
            topic = createTopic(cluster.bootstrapServers());
            try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
                acked = send(producer, topic, 20);
            }
        }
        assertThat(Files.exists(directory.resolve("node-1/data/meta.properties"))).isTrue();

        try (LocalKafkaCluster restarted = LocalKafkaCluster.builder().directory(directory).start()) {
            assertThat(readAll(restarted.bootstrapServers(), topic, acked.size())).containsExactlyInAnyOrderElementsOf(acked);
        }
    }
}
