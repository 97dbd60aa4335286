package dev.pedidos.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates a service's role and the database it owns, through a superuser's connection. */
final class ServiceDatabases {

    private ServiceDatabases() {
    }

    /**
     * Creates them unless they exist.
     *
     * @param superuser a superuser's connection to any database of the server
     * @param database  database name, also the role's name
     * @param password  the role's password
     * @throws IllegalArgumentException for a name that is not a plain identifier
     * @throws IllegalStateException    when PostgreSQL refuses
     */
    static void create(Connection superuser, String database, String password) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain identifier: " + database);
        }
        try (Statement statement = superuser.createStatement()) {
            if (!exists(superuser, "select 1 from pg_roles where rolname = ?", database)) {
                statement.execute("create role " + database + " login password '" + password.replace("'", "''") + "'");
            }
            if (!exists(superuser, "select 1 from pg_database where datname = ?", database)) {
                statement.execute("create database " + database + " owner " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database, e);
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
}
