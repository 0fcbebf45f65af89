package io.tribute.launcher;

import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import io.tribute.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Tribute on one machine: an embedded PostgreSQL with a database per service, a local chain (anvil with
 * TributePayouts and a test ERC-20 deployed, the payer funded and approved), then the three services as separate
 * processes, configured through environment variables exactly as Kubernetes does. Waits until every service is
 * ready, prints the endpoints and contracts, and stops everything on Ctrl-C.
 *
 * <p>Usage: {@code java -jar launcher/target/tribute-launcher.jar [repository root]}. Settings from the
 * environment: {@code TRIBUTE_HOME} (state and logs, default {@code .tribute}), {@code TRIBUTE_PG_PORT}
 * (default 15432), {@code TRIBUTE_ANVIL_PORT} (default 8545), {@code TRIBUTE_READY_TIMEOUT_SECONDS} (default 90).
 */
public final class LocalSuite {

    private static final Duration STOP_GRACE = Duration.ofSeconds(25);
    /** anvil mines a block every second; a settlement counts as paid after this many blocks. */
    private static final int BLOCK_TIME_SECONDS = 1;
    private static final int CONFIRMATIONS = 2;

    private final Path root;
    private final Path home;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedPostgresServer postgres;
    private LocalChain chain;
    /** Set when the suite is stopping (Ctrl-C also reaches every child directly, so they go first). */
    private volatile boolean stopping;

    private LocalSuite(Path root, Path home) {
        this.root = root;
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path home = root.resolve(env("TRIBUTE_HOME", ".tribute"));
        LocalSuite suite = new LocalSuite(root, home);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "tribute-stop"));
        long started = System.nanoTime();
        try {
            suite.start();
        } catch (Exception e) {
            System.err.println("Tribute did not start: " + e.getMessage());
            System.exit(1);
        }
        suite.printEndpoints(Duration.ofNanos(System.nanoTime() - started));
        suite.superviseUntilStopped();
    }

    private void start() throws IOException, InterruptedException {
        Files.createDirectories(home.resolve("logs"));
        int pgPort = Integer.parseInt(env("TRIBUTE_PG_PORT", "15432"));
        System.out.printf("Starting PostgreSQL on port %d (data in %s)%n", pgPort, home.resolve("postgres"));
        postgres = EmbeddedPostgresServer.start(home.resolve("postgres"), pgPort);
        int anvilPort = Integer.parseInt(env("TRIBUTE_ANVIL_PORT", "8545"));
        System.out.printf("Starting anvil on port %d (chain in %s)%n", anvilPort, home.resolve("anvil"));
        chain = LocalChain.start(home.resolve("anvil"), anvilPort, BLOCK_TIME_SECONDS);
        if (chain.fresh()) {
            System.out.printf("Deployed TributePayouts at %s and a test ERC-20 at %s%n", chain.payouts(), chain.token());
            // A ledger kept from an earlier chain would point at transactions this chain never saw.
            dropDatabase(ServiceSpec.byName("payout-service").databaseName());
        }
        for (ServiceSpec spec : ServiceSpec.SUITE) {
            PostgresDatabase database = postgres.createDatabaseNamed(spec.databaseName());
            Path jar = root.resolve(spec.name()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build first (./suite build)");
            }
            System.out.printf("Starting %s%n", spec.name());
            Map<String, String> environment = environmentOf(spec, database);
            if (spec.name().equals("payout-service")) {
                environment.putAll(chain.payoutEnvironment(CONFIRMATIONS));
            }
            services.add(ServiceProcess.start(spec.name(), spec.managementPort(), jar, home.resolve("logs"),
                    environment));
        }
        awaitReady(Duration.ofSeconds(Long.parseLong(env("TRIBUTE_READY_TIMEOUT_SECONDS", "90"))));
    }

    private static Map<String, String> environmentOf(ServiceSpec spec, PostgresDatabase database) {
        Map<String, String> environment = new HashMap<>(database.environment());
        environment.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(spec.grpcPort()));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(spec.managementPort()));
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        for (String peer : spec.peers()) {
            String prefix = "QUARKUS_GRPC_CLIENTS_" + peer.toUpperCase() + "_";
            environment.put(prefix + "HOST", "localhost");
            environment.put(prefix + "PORT", Integer.toString(ServiceSpec.byClientName(peer).grpcPort()));
        }
        return environment;
    }

    /** Drops a service's database if it exists (the service creates its schema again at start). */
    private void dropDatabase(String name) {
        String url = "jdbc:postgresql://localhost:" + postgres.port() + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USERNAME,
                EmbeddedPostgresServer.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset database " + name + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(services);
        while (!waiting.isEmpty()) {
            for (ServiceProcess service : List.copyOf(waiting)) {
                if (!service.isAlive()) {
                    throw new IllegalStateException(service.name() + " exited during start-up:\n"
                            + service.lastLogLines(30));
                }
                if (service.isReady()) {
                    System.out.printf("%s is ready%n", service.name());
                    waiting.remove(service);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within " + timeout.toSeconds() + " s: "
                        + waiting.stream().map(s -> s.name() + " (log: " + s.log() + ")").toList());
            }
            Thread.sleep(250);
        }
    }

    private void printEndpoints(Duration startup) {
        System.out.printf("%nTribute is up in %.1f s. Ctrl-C stops everything.%n%n", startup.toMillis() / 1000.0);
        System.out.printf("  %-20s %-18s %-40s %s%n", "service", "gRPC", "health and metrics", "log");
        for (ServiceProcess service : services) {
            ServiceSpec spec = ServiceSpec.byName(service.name());
            System.out.printf("  %-20s %-18s %-40s %s%n", spec.name(), "localhost:" + spec.grpcPort(),
                    "http://localhost:" + spec.managementPort() + "/q/health", root.relativize(service.log()));
        }
        System.out.printf("  %-20s %-18s%n", "postgresql", "localhost:" + postgres.port());
        System.out.printf("  %-20s %-18s %s, %d s blocks, %d confirmations%n%n", "anvil (JSON-RPC)",
                chain.rpcUrl().replace("http://", ""), chain.chainId(), BLOCK_TIME_SECONDS, CONFIRMATIONS);
        System.out.printf("  %-20s %s%n", "TributePayouts", chain.payouts());
        System.out.printf("  %-20s %s (currency %s)%n", "test ERC-20", chain.token(), chain.tokenCurrency());
        System.out.printf("  %-20s %s (anvil's first default account, funded and approved)%n%n", "payer",
                chain.payer());
        System.out.println("Try: grpcurl -plaintext localhost:8081 list");
    }

    private void superviseUntilStopped() throws InterruptedException {
        while (true) {
            Thread.sleep(1000);
            if (stopping || whatStopped() == null) {
                continue;
            }
            // Ctrl-C reaches the children and this JVM at once: give the shutdown a moment to announce itself.
            Thread.sleep(500);
            String stopped = whatStopped();
            if (!stopping && stopped != null) {
                System.err.printf("%s. Stopping the suite.%n", stopped);
                System.exit(1);
            }
        }
    }

    /** What has stopped on its own (a service or the chain), or null if everything runs. */
    private String whatStopped() {
        for (ServiceProcess service : List.copyOf(services)) {
            if (!service.isAlive()) {
                return service.name() + " exited; see " + service.log();
            }
        }
        LocalChain running = chain;
        return running != null && !running.isAlive() ? "anvil stopped answering" : null;
    }

    private synchronized void stop() {
        stopping = true;
        if (services.isEmpty() && postgres == null && chain == null) {
            return;
        }
        System.out.println("Stopping Tribute");
        services.reversed().parallelStream().forEach(service -> service.stop(STOP_GRACE));
        services.clear();
        if (chain != null) {
            chain.close();
            chain = null;
        }
        if (postgres != null) {
            try {
                postgres.stop();
            } catch (RuntimeException e) {
                // Ctrl-C reaches PostgreSQL too, which may already be shutting down on its own.
                System.err.println("PostgreSQL: " + e.getMessage());
            }
            postgres = null;
        }
        System.out.println("Stopped.");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
