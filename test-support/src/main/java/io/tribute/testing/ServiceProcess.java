package io.tribute.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service running as a child process, configured only through its environment, as in Kubernetes. The
 * local launcher runs the suite with it; a test starts a real peer service with it.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int managementPort;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int managementPort, Path log, Process process) {
        this.name = name;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code java -jar jar} with {@code environment} added to this process's, logging to
     * {@code logDirectory/<name>.log}.
     *
     * @param managementPort where the service answers its health probes (QUARKUS_MANAGEMENT_PORT)
     */
    public static ServiceProcess start(String name, int managementPort, Path jar, Path logDirectory,
            Map<String, String> environment) throws IOException {
        Path log = logDirectory.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ServiceProcess(name, managementPort, log, builder.start());
    }

    public String name() {
        return name;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** True once the service's readiness probe answers UP. */
    public boolean isReady() {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the service is ready; fails with its last log lines if it exits or takes too long. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isReady()) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited during start-up:\n" + lastLogLines(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s:\n"
                        + lastLogLines(30));
            }
            Thread.sleep(250);
        }
    }

    /** Asks the service to shut down gracefully, and kills it if it has not within the grace period. */
    public void stop(Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the service as {@code kill -9} does: no shutdown hook runs. Returns once the process is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String lastLogLines(int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
