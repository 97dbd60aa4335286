package dev.pedidos.orders;

import dev.pedidos.infra.KafkaContainersConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/** {@link BrokersDownContract} on three Kafka containers; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
@Import(KafkaContainersConfiguration.class)
class BrokersDownContainersIT extends BrokersDownContract {
}
