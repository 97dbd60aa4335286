package dev.pedidos.notification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The notification consumer: reads {@code OrderCreated} events from {@code pedidos-pendentes} as
 * consumer group {@code notification} and sends the customer a confirmation of each order.
 *
 * <p>Kafka edge: {@link NotificationListener} and {@link DeadLetterConfiguration}; domain rule:
 * {@link OrderConfirmations}; side effect: {@link Notifier}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotificationApplication {

    /**
     * Starts the service (HTTP port 8082 by default, see {@code application.yml}).
     *
     * @param args Spring Boot command-line arguments, e.g. {@code --spring.kafka.bootstrap-servers=...}
     */
    public static void main(String[] args) {
        SpringApplication.run(NotificationApplication.class, args);
    }
}
