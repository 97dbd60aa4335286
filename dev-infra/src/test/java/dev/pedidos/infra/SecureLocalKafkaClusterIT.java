package dev.pedidos.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The secure-mode contract on broker processes of this machine: one cluster for the class. */
class SecureLocalKafkaClusterIT extends SecureKafkaClusterContract {

    private static LocalKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalKafkaCluster.builder().secure(true).start();
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
