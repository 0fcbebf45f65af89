package io.tribute.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** Coordinates of one database on a running PostgreSQL server, in the forms a Quarkus service reads. */
public record PostgresDatabase(String host, int port, String name, String username, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://%s:%d/%s".formatted(host, port, name);
    }

    /** A new JDBC connection to this database, as its owner. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username, password);
    }

    public String reactiveUrl() {
        return "postgresql://%s:%d/%s".formatted(host, port, name);
    }

    /** The datasource settings of a service that owns this database: reactive for the app, JDBC for Flyway. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.reactive.url", reactiveUrl(),
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    /** The same settings as environment variables, as Kubernetes passes them to a service. */
    public Map<String, String> environment() {
        return Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", reactiveUrl(),
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", username,
                "QUARKUS_DATASOURCE_PASSWORD", password);
    }
}
