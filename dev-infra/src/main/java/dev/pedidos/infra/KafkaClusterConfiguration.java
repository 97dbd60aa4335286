package dev.pedidos.infra;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Test configuration that points Spring Boot's Kafka auto-configuration ({@code spring.kafka.*}
 * producers, consumers, admin) at the real {@link LocalKafkaCluster#shared() shared cluster of broker processes} through a
 * {@link KafkaConnectionDetails} bean, the mechanism Boot's service connections use.
 *
 * <p>Use with {@code @SpringBootTest @Import(KafkaClusterConfiguration.class)}; inject
 * {@link KafkaCluster} to take brokers down and bring them back.
 */
@TestConfiguration(proxyBeanMethods = false)
public class KafkaClusterConfiguration {

    /** @return the JVM-wide cluster, started on first use */
    // Shared by every context of the JVM and stopped at its exit: never closed with a context.
    @Bean(destroyMethod = "")
    KafkaCluster kafkaCluster() {
        return LocalKafkaCluster.shared();
    }

    /**
     * @param cluster the running cluster
     * @return its bootstrap servers for every Kafka client Boot creates
     */
    @Bean
    KafkaConnectionDetails kafkaConnectionDetails(KafkaCluster cluster) {
        return connectionDetails(cluster);
    }

    /**
     * @param cluster a running cluster
     * @return its bootstrap servers as Boot's connection details
     */
    static KafkaConnectionDetails connectionDetails(KafkaCluster cluster) {
        List<String> servers = Arrays.asList(cluster.bootstrapServers().split(","));
        return () -> servers;
    }
}
