package dev.pedidos.infra;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Test configuration that points Spring Boot's {@code JavaMailSender} ({@code spring.mail.host} and
 * {@code spring.mail.port}) at the real {@link SmtpServer#shared() shared SMTP server}. Boot has no
 * connection-details type for mail, so the properties are registered instead.
 *
 * <p>Use with {@code @SpringBootTest @Import(SmtpConfiguration.class)}; inject {@link SmtpServer}
 * to read what it received.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SmtpConfiguration {

    /** @return the JVM-wide server, started on first use */
    // Shared by every context of the JVM and stopped at its exit: never closed with a context.
    @Bean(destroyMethod = "")
    SmtpServer smtpServer() {
        return SmtpServer.shared();
    }

    /**
     * @param server the running server
     * @return {@code spring.mail.host} and {@code spring.mail.port} of the server
     */
    @Bean
    DynamicPropertyRegistrar smtpProperties(SmtpServer server) {
        return registry -> {
            registry.add("spring.mail.host", () -> "127.0.0.1");
            registry.add("spring.mail.port", server::port);
        };
    }
}
