package dev.pedidos.groups.lag;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A {@link ConsumerGroupLag} for any service with Boot's {@link KafkaAdmin} (also one that has none
 * of the dead-letter beans, such as order-service), and the {@link LagGauges} where
 * {@code pedidos.lag.groups} names groups and Micrometer is present.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(KafkaAdmin.class)
@EnableConfigurationProperties(LagProperties.class)
public class LagAutoConfiguration {

    /**
     * @param kafkaAdmin Boot's admin, for the client settings
     * @param properties the measurement's timeout
     * @return the lag of any group, closed with the context
     */
    @Bean
    @ConditionalOnMissingBean
    ConsumerGroupLag consumerGroupLag(KafkaAdmin kafkaAdmin, LagProperties properties) {
        return new ConsumerGroupLag(kafkaAdmin, properties.timeout());
    }

    /** The gauges, only where groups are named and Micrometer is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnProperty(prefix = "pedidos.lag", name = "groups")
    static class Gauges {

        @Bean
        LagGauges lagGauges(ConsumerGroupLag lag, LagProperties properties) {
            return new LagGauges(lag, properties);
        }
    }
}
