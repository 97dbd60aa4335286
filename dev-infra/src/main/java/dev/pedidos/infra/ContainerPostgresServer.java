package dev.pedidos.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link PostgresServer} in a Docker container ({@code postgres:18}), for machines with a Docker
 * engine. Its port is published on a fixed free host port, so that the container stopped and
 * started again (same container, same data) is reached at the same address.
 */
public final class ContainerPostgresServer implements PostgresServer {

    /** The PostgreSQL image: the release the embedded server and docker-compose.yml run. */
    public static final DockerImageName IMAGE = DockerImageName.parse("postgres:18.6");

    private static final String SUPERUSER_PASSWORD = "postgres";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final GenericContainer<?> container;

    private final String host;

    private final int port;

    private ContainerPostgresServer(GenericContainer<?> container, String host, int port) {
        this.container = container;
        this.host = host;
        this.port = port;
    }

    /**
     * The container shared by every test of this JVM, started on first use, removed at exit.
     *
     * @return the running server
     * @throws IllegalStateException when Docker is missing or the container does not start
     */
    public static ContainerPostgresServer shared() {
        return Shared.SERVER;
    }

    /** @return a new running server */
    public static ContainerPostgresServer startContainer() {
        int hostPort = Ports.free();
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withEnv("POSTGRES_PASSWORD", SUPERUSER_PASSWORD)
                .withExposedPorts(5432)
                // The image starts the server twice (initdb, then for real): wait for the second.
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(READY_TIMEOUT));
        container.setPortBindings(List.of(hostPort + ":5432"));
        container.start();
        return new ContainerPostgresServer(container, DockerClientFactory.instance().dockerHostIpAddress(), hostPort);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public void createDatabase(String database, String password) {
        try (Connection superuser = superuser()) {
            ServiceDatabases.create(superuser, database, password);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + jdbcUrl("postgres"), e);
        }
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        docker().startContainerCmd(container.getContainerId()).exec();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            try (Connection ignored = superuser()) {
                return;
            } catch (SQLException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("PostgreSQL not ready after " + READY_TIMEOUT, e);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (isRunning()) {
            docker().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
        }
    }

    @Override
    public boolean isRunning() {
        return Boolean.TRUE.equals(docker().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning());
    }

    /** Removes the container and its data. */
    @Override
    public void close() {
        container.stop();
    }

    private Connection superuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), "postgres", SUPERUSER_PASSWORD);
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    /** Holder of the JVM-wide server: started on first use, removed at JVM exit. */
    private static final class Shared {

        static final ContainerPostgresServer SERVER = startShared();

        private static ContainerPostgresServer startShared() {
            ContainerPostgresServer server = ContainerPostgresServer.startContainer();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-container-shutdown"));
            return server;
        }
    }
}
