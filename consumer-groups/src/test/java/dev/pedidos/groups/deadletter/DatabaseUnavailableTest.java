package dev.pedidos.groups.deadletter;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

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
    void connectionFailuresOfABatchAreUnavailability() {
        // the transaction manager could not begin
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(inBatch(new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction")))).isTrue();
        // PgJDBC when the server shuts down under an open transaction, untranslated
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(inBatch(new RuntimeException(
                new SQLException("terminating connection due to administrator command", "57P01"))))).isTrue();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(inBatch(new RuntimeException(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"))))).isTrue();
    }

    @Test
    void failedRollbackIsJudgedByTheFailureItOverrode() {
        // given the server went down under an open transaction: the insert failed, then the rollback
        var rollbackFailed = new TransactionSystemException("JDBC rollback failed", new SQLException("closed"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException(
                "terminating connection due to administrator command"));

        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(inBatch(rollbackFailed))).isTrue();
    }

    @Test
    void failuresOfTheRecordAreNotDatabaseOutages() {
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(inBatch(new DeserializationException("not JSON",
                new byte[0], false, new IllegalStateException())))).isFalse();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(inBatch(new DataIntegrityViolationException("0x00",
                new SQLException("invalid byte sequence", "22021"))))).isFalse();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(new ListenerExecutionFailedException("Listener failed",
                new DataIntegrityViolationException("value too long for type character varying(320)")))).isFalse();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(
                new ListenerExecutionFailedException("Listener failed", new IllegalArgumentException("no items")))).isFalse();
        assertThat(DeadLetterAutoConfiguration.databaseUnavailable(null)).isFalse();
    }

    /** As the container hands a batch listener's exception to the error handler. */
    private static Exception inBatch(Exception cause) {
        return new ListenerExecutionFailedException("Listener failed",
                new BatchListenerFailedException("Order not billed", cause, 0));
    }
}
