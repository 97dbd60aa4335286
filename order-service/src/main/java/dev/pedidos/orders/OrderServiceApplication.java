package dev.pedidos.orders;

import java.time.Clock;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * order-service: accepts orders over HTTP ({@code POST /orders}) and records each one as an
 * {@link dev.pedidos.events.OrderCreated} on the {@code pedidos-pendentes} topic.
 *
 * <p>The HTTP edge is {@link OrderController} (errors: {@link OrderProblems}), the domain rule
 * {@link Orders}, the Kafka edge {@link KafkaOrderPublisher} (which also declares the topic).
 * The read side, each order's journey ({@code GET /orders/{id}}), is the package
 * {@code dev.pedidos.orders.journey}: its own consumer group and PostgreSQL database.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderServiceApplication {

    /**
     * Starts the service.
     *
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(OrderServiceApplication.class, args);
    }

    /** The time source for {@code occurredAt}; a bean so that tests can fix it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The one strictness {@code spring.jackson.*} has no property for: a JSON number or boolean where
     * the contract has text ({@code "name": 42}) is a 400, not the string {@code "42"}. Jackson's
     * coercion configuration (Textual targets, from Integer, Float and Boolean input shapes); the
     * string-to-number direction is {@code spring.jackson.mapper.allow-coercion-of-scalars=false}.
     */
    @Bean
    JsonMapperBuilderCustomizer noScalarToTextCoercion() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, text -> text
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
