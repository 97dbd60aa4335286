package dev.pedidos.orders;

import dev.pedidos.infra.KafkaClusterConfiguration;

import org.springframework.context.annotation.Import;

/** {@link BrokersDownContract} on the real three-broker cluster of broker processes. */
@Import(KafkaClusterConfiguration.class)
class BrokersDownIT extends BrokersDownContract {
}
