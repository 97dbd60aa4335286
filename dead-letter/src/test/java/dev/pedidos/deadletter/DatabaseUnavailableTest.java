package dev.pedidos.deadletter;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures wait for the database without end, and which are the record's own (retried, then dead-lettered). */
class DatabaseUnavailableTest {

    @Test
    void poolTimeoutWhileTheServerIsDownMeansTheDatabaseIsUnavailable() {
        // given what Hikari and Spring's DataSourceUtils throw when no connection can be made, as the container hands it over
        var timeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 3000ms");
        var exception = new ListenerExecutionFailedException("Listener failed",
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", timeout));

        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(exception)).isTrue();
    }

    @Test
    void pooledConnectionOfAServerThatShutDownMeansTheDatabaseIsUnavailable() {
        // given PostgreSQL's "terminating connection due to administrator command" as Spring translates it for PostgreSQL
        var shutdown = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        var translated = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL").translate("select", "select 1", shutdown);

        assertThat(translated).isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(new ListenerExecutionFailedException("Listener failed", translated)))
                .isTrue();
    }

    @Test
    void failuresOfTheRecordAreNotDatabaseOutages() {
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(new ListenerExecutionFailedException("Listener failed",
                new DataIntegrityViolationException("value too long for type character varying(320)")))).isFalse();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(
                new ListenerExecutionFailedException("Listener failed", new IllegalArgumentException("no items")))).isFalse();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(null)).isFalse();
    }
}
