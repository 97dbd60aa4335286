package dev.pedidos.orders;

import dev.pedidos.infra.KafkaClusterConfiguration;
import dev.pedidos.infra.PostgresConfiguration;

import org.springframework.context.annotation.Import;

/** {@link BrokersDownContract} on the real three-broker cluster of broker processes and embedded PostgreSQL. */
@Import({KafkaClusterConfiguration.class, PostgresConfiguration.class})
class BrokersDownIT extends BrokersDownContract {
}
