package dev.pedidos.billing;


import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The billing consumer's source topic ({@code pedidos.source-topic}). The dead-letter topic
 * ({@code pedidos.dead-letter.*}) and the back-off ({@code pedidos.retry.*}) are the dead-letter
 * module's.
 *
 * @param sourceTopic topic the orders are read from, written by order-service
 */
@ConfigurationProperties(prefix = "pedidos")
record PedidosProperties(
        @DefaultValue("pedidos-pendentes") String sourceTopic) {
}
