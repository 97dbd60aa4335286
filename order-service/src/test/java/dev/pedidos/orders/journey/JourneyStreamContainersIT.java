package dev.pedidos.orders.journey;

import dev.pedidos.infra.KafkaContainersConfiguration;
import dev.pedidos.infra.PostgresContainerConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/** {@link JourneyStreamContract} on three Kafka containers and a PostgreSQL container; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
@Import({KafkaContainersConfiguration.class, PostgresContainerConfiguration.class})
class JourneyStreamContainersIT extends JourneyStreamContract {
}
