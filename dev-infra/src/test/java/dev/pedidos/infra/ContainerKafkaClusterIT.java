package dev.pedidos.infra;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The cluster contract on Docker containers; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaClusterIT extends KafkaClusterContract {

    @Override
    KafkaCluster cluster() {
        return ContainerKafkaCluster.shared();
    }
}
