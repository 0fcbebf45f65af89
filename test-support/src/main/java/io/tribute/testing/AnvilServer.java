package io.tribute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Ethereum node for tests and local runs: the repository's pinned anvil (npm {@code @foundry-rs/anvil}) on a
 * free port. {@link #stop()} then {@link #start()} restarts it on the same port with the same chain (its state is
 * dumped to a file on exit and loaded on start). Killed when the JVM exits.
 */
public final class AnvilServer implements AutoCloseable {

    /** anvil's first default account (public test key of the default mnemonic; never holds real money). */
    public static final String DEFAULT_PRIVATE_KEY =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern STRING_RESULT = Pattern.compile("\"result\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:");

    private final Path anvil;
    private final int port;
    private final Path stateFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> extraArguments;
    private Process process;

    private AnvilServer(Path anvil, int port, Path stateFile, List<String> extraArguments) {
        this.anvil = anvil;
        this.port = port;
        this.stateFile = stateFile;
        this.extraArguments = extraArguments;
    }

    /** Starts anvil on a free port (extra arguments, e.g. {@code --no-mining}, are passed through). */
    public static AnvilServer launch(String... extraArguments) {
        try {
            Path stateDirectory = Files.createTempDirectory("anvil-");
            AnvilServer server = new AnvilServer(repositoryRoot().resolve("node_modules/.bin/anvil"), freePort(),
                    stateDirectory.resolve("state.json"), List.of(extraArguments));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::kill));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts anvil on {@code port} with its chain kept in {@code stateFile} across runs (loaded at start, dumped every
     * second and on exit), for a local run of the suite. Stopped gracefully when the JVM exits.
     */
    public static AnvilServer launchPersistent(Path stateFile, int port, String... extraArguments) {
        try {
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> arguments = new ArrayList<>(List.of("--state-interval", "1"));
        arguments.addAll(List.of(extraArguments));
        AnvilServer server = new AnvilServer(repositoryRoot().resolve("node_modules/.bin/anvil"), port, stateFile,
                List.copyOf(arguments));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    /** (Re)starts the node on its port, loading the chain it had when it was stopped. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(anvil.toString(), "--port", Integer.toString(port),
                "--host", "127.0.0.1", "--state", stateFile.toString(), "--silent"));
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + anvil + " (run npm ci at the repository root)", e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            try {
                if (chainId() > 0) {
                    return;
                }
            } catch (RuntimeException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("anvil did not answer eth_chainId on port " + port, notYet);
                }
            }
            sleep(Duration.ofMillis(100));
        }
    }

    /** Stops the node gracefully (it dumps its chain to the state file first) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        // The npm wrapper forwards the signal to the anvil binary and exits at once; the binary exits only after
        // dumping its state, so wait for it too (or the port may still answer, and a restart would find it taken).
        List<ProcessHandle> binaries = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            for (ProcessHandle binary : binaries) {
                try {
                    binary.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    binary.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return Long.decode(stringResult("eth_chainId", "[]"));
    }

    public long blockNumber() {
        return Long.decode(stringResult("eth_blockNumber", "[]"));
    }

    /** Mines {@code blocks} blocks at once. */
    public void mine(int blocks) {
        rpc("anvil_mine", "[\"0x" + Integer.toHexString(blocks) + "\"]");
    }

    /** Switches automatic mining of each transaction on or off. */
    public void setAutomine(boolean on) {
        rpc("evm_setAutomine", "[" + on + "]");
    }

    /** Takes a snapshot of the chain; {@link #revert(String)} returns to it (dropping later blocks). */
    public String snapshot() {
        return stringResult("evm_snapshot", "[]");
    }

    public void revert(String snapshotId) {
        rpc("evm_revert", "[\"" + snapshotId + "\"]");
    }

    /** Replaces the last {@code depth} blocks with empty ones (their transactions leave the chain). */
    public void reorg(int depth) {
        rpc("anvil_reorg", "[" + depth + ", []]");
    }

    /** Sets an account's native balance (e.g. to fund a fresh test key). */
    public void setBalance(String address, java.math.BigInteger wei) {
        rpc("anvil_setBalance", "[\"" + address + "\", \"0x" + wei.toString(16) + "\"]");
    }

    /** Drops a transaction from the node's pool (as if it had never been received). */
    public void dropTransaction(String hash) {
        rpc("anvil_dropTransaction", "[\"" + hash + "\"]");
    }

    /** Sends one JSON-RPC call and returns the raw JSON response; a JSON-RPC error is an IllegalStateException. */
    public String rpc(String method, String paramsJson) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (ERROR.matcher(response).find()) {
            throw new IllegalStateException(method + " failed: " + response);
        }
        return response;
    }

    private String stringResult(String method, String paramsJson) {
        String response = rpc(method, paramsJson);
        Matcher matcher = STRING_RESULT.matcher(response);
        if (!matcher.find()) {
            throw new IllegalStateException(method + ": unexpected answer " + response);
        }
        return matcher.group(1);
    }

    private void kill() {
        Process running = process;
        if (running != null) {
            // A killed wrapper forwards nothing: kill the binary itself too.
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }

    /** The directory holding the repository's package.json, found by walking up from the working directory. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("package.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no package.json above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
