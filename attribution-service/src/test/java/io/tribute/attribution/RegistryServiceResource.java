package io.tribute.attribution;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import io.tribute.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real registry-service (the jar the reactor built before this module) as a separate process with
 * a database of its own, and points this service's {@code registry} gRPC client at it. Tests can stop and
 * start it again (same ports, same data) to see how attribution behaves while the registry is down.
 */
public class RegistryServiceResource implements QuarkusTestResourceLifecycleManager {

    private static final Path JAR = Path.of("../registry-service/target/quarkus-app/quarkus-run.jar");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private static Map<String, String> environment;
    private static int managementPort;
    private static ServiceProcess registry;

    @Override
    public Map<String, String> start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build registry-service first");
        }
        PostgresDatabase database = EmbeddedPostgresServer.shared().createDatabase("registry");
        int grpcPort = freePort();
        managementPort = freePort();
        environment = new HashMap<>(database.environment());
        environment.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPort));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        startRegistry();
        // In test mode a gRPC client dials its test-port (by default this service's own server): set both.
        return Map.of("quarkus.grpc.clients.registry.host", "localhost",
                "quarkus.grpc.clients.registry.port", Integer.toString(grpcPort),
                "quarkus.grpc.clients.registry.test-port", Integer.toString(grpcPort));
    }

    @Override
    public void stop() {
        stopRegistry();
    }

    /** Starts (again) the registry process and waits until it is ready. */
    public static synchronized void startRegistry() {
        if (registry != null && registry.isAlive()) {
            return;
        }
        try {
            Path logs = Files.createDirectories(Path.of("target"));
            registry = ServiceProcess.start("registry-service", managementPort, JAR.toAbsolutePath(), logs, environment);
            registry.awaitReady(READY_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the registry process (its database stays). */
    public static synchronized void stopRegistry() {
        if (registry != null) {
            registry.stop(STOP_GRACE);
        }
    }

    /**
     * Freezes the registry process (SIGSTOP): its connections stay open but nothing answers, which is how a
     * registry too slow to answer looks to a caller. {@link #resumeRegistry()} thaws it.
     */
    public static synchronized void pauseRegistry() {
        signalRegistry("STOP");
    }

    public static synchronized void resumeRegistry() {
        signalRegistry("CONT");
    }

    /** Signals the one child process of this JVM that runs the registry jar. */
    private static void signalRegistry(String signal) {
        String jar = JAR.toAbsolutePath().toString();
        long pid = ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(args -> java.util.Arrays.asList(args).contains(jar))
                        .orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("the registry process is not running"));
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
