package dev.pedidos.notification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The notification consumer: reads {@code OrderCreated} events from {@code pedidos-pendentes} as
 * consumer group {@code notification} and e-mails the customer a confirmation of each order, once
 * as far as its PostgreSQL sent log can tell (DESIGN G5, at least once).
 *
 * <p>Kafka edge: {@link NotificationListener} and the dead-letter module ({@code DeadLetterAutoConfiguration}); domain rule:
 * {@link OrderConfirmations}; side effects: {@link SmtpNotifier} (SMTP) and {@link SentLog}
 * (PostgreSQL, migrated by Flyway); HTTP edge: {@link NotificationController}.
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
