package dev.pedidos.orders;

import dev.pedidos.infra.KafkaClusterConfiguration;

import org.springframework.context.annotation.Import;

/** {@link PlaceOrderContract} on the real three-broker cluster of broker processes. */
@Import(KafkaClusterConfiguration.class)
class PlaceOrderIT extends PlaceOrderContract {
}
