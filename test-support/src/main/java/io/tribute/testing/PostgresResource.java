package io.tribute.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives the service under test a fresh database of its own on the JVM's shared PostgreSQL server.
 *
 * <p>Init arg {@code database} names the database prefix (default {@code tribute}).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String prefix = "tribute";

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("database", prefix);
    }

    @Override
    public Map<String, String> start() {
        return EmbeddedPostgresServer.shared().createDatabase(prefix).quarkusConfig();
    }

    @Override
    public void stop() {
        // The shared server lives until the JVM exits; the database is simply left behind.
    }
}
