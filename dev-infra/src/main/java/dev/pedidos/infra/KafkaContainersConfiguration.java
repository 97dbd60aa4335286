package dev.pedidos.infra;

import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The Docker twin of {@link KafkaClusterConfiguration}: Boot's Kafka clients point at the
 * {@link ContainerKafkaCluster#shared() shared three-node container cluster}. Use it in a test class
 * annotated {@code @Testcontainers(disabledWithoutDocker = true)}, so that it is skipped where there
 * is no Docker engine and its embedded twin runs instead.
 */
@TestConfiguration(proxyBeanMethods = false)
public class KafkaContainersConfiguration {

    /** @return the JVM-wide container cluster, started on first use */
    // Shared by every context of the JVM and removed at its exit: never closed with a context.
    @Bean(destroyMethod = "")
    KafkaCluster kafkaCluster() {
        return ContainerKafkaCluster.shared();
    }

    /**
     * @param cluster the running cluster
     * @return its bootstrap servers for every Kafka client Boot creates
     */
    @Bean
    KafkaConnectionDetails kafkaConnectionDetails(KafkaCluster cluster) {
        return KafkaClusterConfiguration.connectionDetails(cluster);
    }
}
