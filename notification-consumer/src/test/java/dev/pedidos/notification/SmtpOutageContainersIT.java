package dev.pedidos.notification;

import dev.pedidos.infra.KafkaContainersConfiguration;
import dev.pedidos.infra.PostgresContainerConfiguration;
import dev.pedidos.infra.SmtpConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.context.annotation.Import;

/** {@link SmtpOutageContract} on Kafka and PostgreSQL containers, and GreenMail; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
@Import({KafkaContainersConfiguration.class, PostgresContainerConfiguration.class, SmtpConfiguration.class})
class SmtpOutageContainersIT extends SmtpOutageContract {
}
