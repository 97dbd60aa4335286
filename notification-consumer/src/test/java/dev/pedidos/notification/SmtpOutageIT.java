package dev.pedidos.notification;

import dev.pedidos.infra.KafkaClusterConfiguration;
import dev.pedidos.infra.PostgresConfiguration;
import dev.pedidos.infra.SmtpConfiguration;

import org.springframework.context.annotation.Import;

/** {@link SmtpOutageContract} on broker processes, embedded PostgreSQL and GreenMail. */
@Import({KafkaClusterConfiguration.class, PostgresConfiguration.class, SmtpConfiguration.class})
class SmtpOutageIT extends SmtpOutageContract {
}
