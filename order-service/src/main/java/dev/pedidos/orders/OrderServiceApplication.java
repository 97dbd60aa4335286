package dev.pedidos.orders;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
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
}
