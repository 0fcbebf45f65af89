package io.tribute.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (embedded binaries, no Docker) that hands out fresh databases.
 *
 * <p>It can be stopped and started again on the same port and data directory, so a test can take
 * the database away from a running service and give it back.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";

    private static EmbeddedPostgresServer shared;

    private final Path dataDirectory;
    private final boolean ownsDataDirectory;
    private final AtomicInteger databaseCounter = new AtomicInteger();
    /** Server settings given at every start (fsync off: these servers hold test and local data only). */
    private final Map<String, String> settings = new LinkedHashMap<>(Map.of("max_connections", "300", "fsync", "off"));
    private int port;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, boolean ownsDataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.ownsDataDirectory = ownsDataDirectory;
        this.port = port;
    }

    /** The server shared by every test of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgresServer shared() {
        if (shared == null) {
            shared = startInTemporaryDirectory();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
        }
        return shared;
    }

    /** A server of its own on a free port, with a data directory deleted when it is closed. */
    public static EmbeddedPostgresServer startInTemporaryDirectory() {
        try {
            return start(Files.createTempDirectory("tribute-pg-"), true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server keeping its data in {@code dataDirectory}, on {@code port} (0 picks a free one). */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, false, port);
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, boolean ownsDataDirectory, int port) {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDirectory, ownsDataDirectory, port);
        server.startServer();
        return server;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** Creates an empty database whose name starts with {@code prefix}; each call gets a new one. */
    public PostgresDatabase createDatabase(String prefix) {
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + databaseCounter.incrementAndGet();
        return createDatabaseNamed(name);
    }

    /** Creates the database {@code name} unless it exists (a local run keeps its data between starts). */
    public PostgresDatabase createDatabaseNamed(String name) {
        try (Connection connection = running().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                var exists = statement.executeQuery(
                        "SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "") + "'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE \"" + name + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new PostgresDatabase("localhost", port, name, USERNAME, PASSWORD);
    }

    /** Stops the server; its data stays for {@link #startAgain()}. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    /** Starts the server again on the same port with the same data. */
    public synchronized void startAgain() {
        if (postgres == null) {
            startServer();
        }
    }

    /**
     * Restarts the server with a setting changed (one read only at start, such as shared_buffers or fsync), for this
     * and every later start; returns the value the restarted server shows.
     */
    public synchronized String restartWith(String setting, String value) {
        if (!setting.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a setting name: " + setting);
        }
        settings.put(setting, value);
        stop();
        startAgain();
        try (Connection connection = running().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                var shown = statement.executeQuery("SHOW " + setting)) {
            shown.next();
            return shown.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + setting, e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsDataDirectory) {
            deleteRecursively(dataDirectory);
        }
    }

    private synchronized EmbeddedPostgres running() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is stopped");
        }
        return postgres;
    }

    private synchronized void startServer() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false);
            settings.forEach(builder::setServerConfig);
            if (port != 0) {
                builder.setPort(port);
            }
            postgres = builder.start();
            port = postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
