package dev.pedidos.billing;

import dev.pedidos.infra.KafkaClusterConfiguration;
import dev.pedidos.infra.PostgresConfiguration;

import org.springframework.context.annotation.Import;

/** {@link GroupOperationsContract} on broker processes and embedded PostgreSQL. */
@Import({KafkaClusterConfiguration.class, PostgresConfiguration.class})
class GroupOperationsIT extends GroupOperationsContract {
}
