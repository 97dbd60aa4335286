package dev.pedidos.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The secure-mode contract on Docker containers; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class SecureContainerKafkaClusterIT extends SecureKafkaClusterContract {

    private static ContainerKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ContainerKafkaCluster.startSecure();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    KafkaCluster cluster() {
        return cluster;
    }
}
