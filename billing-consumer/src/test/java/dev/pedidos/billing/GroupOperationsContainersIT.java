package dev.pedidos.billing;

import dev.pedidos.infra.KafkaContainersConfiguration;
import dev.pedidos.infra.PostgresContainerConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/** {@link GroupOperationsContract} on Kafka and PostgreSQL containers; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
@Import({KafkaContainersConfiguration.class, PostgresContainerConfiguration.class})
class GroupOperationsContainersIT extends GroupOperationsContract {
}
