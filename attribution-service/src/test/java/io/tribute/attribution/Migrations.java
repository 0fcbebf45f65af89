package io.tribute.attribution;

import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import org.flywaydb.core.Flyway;

/** The service's own migrations, run on a database of the shared test server. */
public final class Migrations {

    private Migrations() {
    }

    /** A new database with every migration applied. */
    public static PostgresDatabase migratedDatabase(String name) {
        PostgresDatabase database = EmbeddedPostgresServer.shared().createDatabase(name);
        migrate(database, "latest");
        return database;
    }

    /** Applies the migrations up to {@code target} (a version, or "latest"). */
    public static void migrate(PostgresDatabase database, String target) {
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/migration").target(target).load().migrate();
    }
}
