package dev.pedidos.groups.rewind;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The topic a consumer group reads ({@code pedidos.source-topic}, the same property the consumers'
 * listeners read), which a rewind moves.
 *
 * @param sourceTopic the topic, written by order-service
 */
@ConfigurationProperties(prefix = "pedidos")
public record SourceTopicProperties(@DefaultValue("pedidos-pendentes") String sourceTopic) {
}
