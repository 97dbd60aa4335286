package dev.pedidos.groups.lag;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The lag gauges of this service ({@code pedidos.lag.*}): which consumer groups' committed-offset lag
 * it publishes as {@code pedidos.group.lag}, and how often it asks the cluster. Each consumer
 * publishes both groups, so that a group's lag is still scraped while its own service is down.
 *
 * @param groups   consumer groups to measure, e.g. {@code billing,notification}; none: no gauges
 * @param topic    the topic they read
 * @param interval time between two measurements (each is three Admin requests)
 * @param timeout  bound of one measurement; the gauges read NaN after a failed one
 */
@ConfigurationProperties(prefix = "pedidos.lag")
public record LagProperties(
        @DefaultValue List<String> groups,
        @DefaultValue("pedidos-pendentes") String topic,
        @DefaultValue("5s") Duration interval,
        @DefaultValue("5s") Duration timeout) {
}
