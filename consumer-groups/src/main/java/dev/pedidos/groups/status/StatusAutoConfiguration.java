package dev.pedidos.groups.status;

import java.time.Clock;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Publishing the steps of orders' journeys to the status topic, for every consumer group that has
 * this module: the topic's declaration and one {@link OrderStatusPublisher} for the service's group
 * ({@code spring.kafka.consumer.group-id}). The values are written by Boot's producer, whose value
 * serializer ({@code DeadLetterAutoConfiguration}) writes an {@code OrderStatusChanged} as JSON.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
// Only in a consumer group's service (which has a dead-letter topic), not in one that merely reads lag.
@ConditionalOnProperty(prefix = "pedidos.dead-letter", name = "topic")
@EnableConfigurationProperties(StatusTopicProperties.class)
public class StatusAutoConfiguration {

    /**
     * @param status the topic's settings
     * @return the status topic, created by Boot's {@code KafkaAdmin} at start-up when missing
     */
    @Bean
    NewTopic statusTopic(StatusTopicProperties status) {
        return TopicBuilder.name(status.topic())
                .partitions(status.partitions())
                .replicas(status.replicas())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(status.minInsyncReplicas()))
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(status.retention().toMillis()))
                .config(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")
                .build();
    }

    /**
     * @param template Boot's template
     * @param status   the topic's settings
     * @param kafka    Boot's Kafka settings, for the group's name
     * @return the publisher of this service's group
     */
    @Bean
    @SuppressWarnings("unchecked")
    OrderStatusPublisher orderStatusPublisher(KafkaOperations<?, ?> template, StatusTopicProperties status,
            KafkaProperties kafka) {
        return new OrderStatusPublisher((KafkaOperations<Object, Object>) template, status,
                kafka.getConsumer().getGroupId(), Clock.systemUTC());
    }
}
