package dev.pedidos.orders;

import dev.pedidos.infra.KafkaContainersConfiguration;
import dev.pedidos.infra.PostgresContainerConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/** {@link PlaceOrderContract} on three Kafka containers and a PostgreSQL container; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
@Import({KafkaContainersConfiguration.class, PostgresContainerConfiguration.class})
class PlaceOrderContainersIT extends PlaceOrderContract {
}
