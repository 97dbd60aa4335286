package dev.pedidos.infra;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The Docker twin of {@link PostgresConfiguration}: Boot's {@code DataSource} points at database
 * {@value PostgresConfiguration#DATABASE} of the {@link ContainerPostgresServer#shared() shared
 * PostgreSQL container}. Use it in a test class annotated
 * {@code @Testcontainers(disabledWithoutDocker = true)}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PostgresContainerConfiguration {

    /** @return the JVM-wide container, started on first use, with the database created */
    // Shared by every context of the JVM and removed at its exit: never closed with a context.
    @Bean(destroyMethod = "")
    PostgresServer postgresServer() {
        PostgresServer server = ContainerPostgresServer.shared();
        server.createDatabase(PostgresConfiguration.DATABASE, PostgresConfiguration.PASSWORD);
        return server;
    }

    /**
     * @param server the running server
     * @return the connection details of its database
     */
    @Bean
    JdbcConnectionDetails jdbcConnectionDetails(PostgresServer server) {
        return PostgresConfiguration.connectionDetails(server);
    }
}
