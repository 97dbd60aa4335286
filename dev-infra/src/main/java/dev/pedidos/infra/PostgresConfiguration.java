package dev.pedidos.infra;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Test configuration that points Spring Boot's {@code DataSource} (and Flyway) at a database of the
 * real {@link EmbeddedPostgresServer#shared() shared embedded PostgreSQL server}, through a
 * {@link JdbcConnectionDetails} bean: database and role {@value #DATABASE}, password
 * {@value #PASSWORD}.
 *
 * <p>Use with {@code @SpringBootTest @Import(PostgresConfiguration.class)}; inject
 * {@link PostgresServer} to stop the database and start it again.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PostgresConfiguration {

    /** Database and role of the service under test. */
    public static final String DATABASE = "service";

    /** Password of the role. */
    public static final String PASSWORD = "service";

    /** @return the JVM-wide server, started on first use, with the database created */
    // Shared by every context of the JVM and stopped at its exit: never closed with a context.
    @Bean(destroyMethod = "")
    PostgresServer postgresServer() {
        PostgresServer server = EmbeddedPostgresServer.shared();
        server.createDatabase(DATABASE, PASSWORD);
        return server;
    }

    /**
     * @param server the running server
     * @return the connection details of its database {@value #DATABASE}
     */
    @Bean
    JdbcConnectionDetails jdbcConnectionDetails(PostgresServer server) {
        return connectionDetails(server);
    }

    /**
     * @param server a running server with the database {@value #DATABASE}
     * @return the connection details of that database
     */
    static JdbcConnectionDetails connectionDetails(PostgresServer server) {
        String url = server.jdbcUrl(DATABASE);
        return new JdbcConnectionDetails() {

            @Override
            public String getUsername() {
                return DATABASE;
            }

            @Override
            public String getPassword() {
                return PASSWORD;
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
