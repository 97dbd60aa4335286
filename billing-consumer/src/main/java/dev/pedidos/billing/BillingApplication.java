package dev.pedidos.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The billing consumer: reads {@code OrderCreated} events from {@code pedidos-pendentes} as consumer
 * group {@code billing} and issues one invoice per order ID.
 *
 * <p>Kafka edge: {@link BillingListener} and the dead-letter module ({@code DeadLetterAutoConfiguration}); HTTP edge:
 * {@link InvoiceController}; domain rule: {@link Invoices}; side effect: {@link InvoiceLedger},
 * kept in PostgreSQL by {@link JdbcInvoiceLedger}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BillingApplication {

    /**
     * Starts the service (HTTP port 8081 by default, see {@code application.yml}).
     *
     * @param args Spring Boot command-line arguments, e.g. {@code --spring.kafka.bootstrap-servers=...}
     */
    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }
}
