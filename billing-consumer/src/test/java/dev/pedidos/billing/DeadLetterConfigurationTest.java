package dev.pedidos.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DeadLetterConfigurationTest {

    /** As the container hands the listener's exception to the error handler. */
    private static Exception thrown(Exception cause) {
        return new ListenerExecutionFailedException("Listener failed",
                new BatchListenerFailedException("Order not billed", cause, 0));
    }

    @Test
    void connectionFailuresAreUnavailability() {
        // Hikari after connection-timeout, as Spring translates it
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new SQLTransientConnectionException("Connection is not available"))))).isTrue();
        // the transaction manager could not begin
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction")))).isTrue();
        // PgJDBC when the server shuts down under an open transaction, untranslated
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new RuntimeException(
                new SQLException("terminating connection due to administrator command", "57P01"))))).isTrue();
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new RuntimeException(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"))))).isTrue();
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new DataAccessResourceFailureException("gone")))).isTrue();
    }

    @Test
    void failedRollbackIsJudgedByTheFailureItOverrode() {
        // given the server went down under an open transaction: the insert failed, then the rollback
        var rollbackFailed = new TransactionSystemException("JDBC rollback failed", new SQLException("closed"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException(
                "terminating connection due to administrator command"));

        // when / then
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(rollbackFailed))).isTrue();
    }

    @Test
    void failuresOfTheRecordAreNot() {
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new IllegalArgumentException("totalAmount")))).isFalse();
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new DeserializationException("not JSON", new byte[0],
                false, new IllegalStateException())))).isFalse();
        assertThat(DeadLetterConfiguration.databaseUnavailable(thrown(new DataIntegrityViolationException("0x00",
                new SQLException("invalid byte sequence", "22021"))))).isFalse();
        assertThat(DeadLetterConfiguration.databaseUnavailable(null)).isFalse();
    }
}
