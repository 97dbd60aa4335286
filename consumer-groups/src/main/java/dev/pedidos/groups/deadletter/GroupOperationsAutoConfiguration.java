package dev.pedidos.groups.deadletter;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;

import dev.pedidos.groups.rewind.GroupRewind;
import dev.pedidos.groups.rewind.RewindController;
import dev.pedidos.groups.rewind.RewindableListener;
import dev.pedidos.groups.rewind.SourceTopicProperties;
import dev.pedidos.groups.status.OrderStatusPublisher;
import dev.pedidos.groups.status.StatusAutoConfiguration;

/**
 * The operator's side of a consumer group (DESIGN G10): its replay topic, its dead letters listed and
 * replayed ({@link DeadLetters}, {@code GET /dead-letters}, {@code POST /dead-letters/replay}), and
 * its rewind ({@link GroupRewind}, {@code POST /admin/rewind}). The group's listener subscribes to
 * the replay topic beside the source topic ({@code pedidos.replay.topic}) and extends
 * {@link RewindableListener}.
 */
@AutoConfiguration(after = {KafkaAutoConfiguration.class, StatusAutoConfiguration.class})
@ConditionalOnProperty(prefix = "pedidos.dead-letter", name = "topic")
@EnableConfigurationProperties({ReplayProperties.class, SourceTopicProperties.class})
public class GroupOperationsAutoConfiguration {

    /**
     * @param replay the topic's settings
     * @return the group's replay topic, created by Boot's {@code KafkaAdmin} at start-up when missing
     */
    @Bean
    NewTopic replayTopic(ReplayProperties replay) {
        return TopicBuilder.name(replay.topic())
                .partitions(replay.partitions())
                .replicas(replay.replicas())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replay.minInsyncReplicas()))
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(replay.retention().toMillis()))
                .config(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")
                .build();
    }

    /** The operator's HTTP endpoints, in a web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Endpoints {

        @Bean(destroyMethod = "close")
        Admin groupOperationsAdmin(KafkaAdmin kafkaAdmin) {
            return Admin.create(kafkaAdmin.getConfigurationProperties());
        }

        @Bean
        @SuppressWarnings("unchecked")
        DeadLetters deadLetters(KafkaAdmin kafkaAdmin, Admin groupOperationsAdmin, KafkaOperations<?, ?> template,
                ObjectProvider<OrderStatusPublisher> status, KafkaProperties kafka, DeadLetterProperties dlt,
                ReplayProperties replay) {
            return new DeadLetters(kafkaAdmin.getConfigurationProperties(), groupOperationsAdmin,
                    (KafkaOperations<Object, Object>) template, status.getIfAvailable(), kafka.getConsumer().getGroupId(),
                    dlt.topic(), replay);
        }

        @Bean
        DeadLetterController deadLetterController(DeadLetters deadLetters) {
            return new DeadLetterController(deadLetters);
        }

        @Bean
        GroupRewind groupRewind(Admin groupOperationsAdmin, ObjectProvider<RewindableListener> listeners, KafkaProperties kafka,
                SourceTopicProperties source, ReplayProperties replay) {
            return new GroupRewind(groupOperationsAdmin, () -> listeners.stream().toList(), kafka.getConsumer().getGroupId(), source.sourceTopic(),
                    replay.readTimeout().toMillis());
        }

        @Bean
        RewindController rewindController(GroupRewind groupRewind) {
            return new RewindController(groupRewind);
        }
    }
}
