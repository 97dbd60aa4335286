package dev.pedidos.infra;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The PostgreSQL contract on a Docker container; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPostgresServerIT extends PostgresServerContract {

    @Override
    PostgresServer server() {
        return ContainerPostgresServer.shared();
    }
}
