package io.tribute.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.tribute.cli.ExitCodes;
import io.tribute.cli.TributeCli;
import io.tribute.cli.client.ServiceClients;
import io.tribute.registry.v1.CreateContributorResponse;
import io.tribute.registry.v1.Verdict;
import io.tribute.testing.AnvilServer;
import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import io.tribute.testing.ServiceProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo against the three real services, each the jar the reactor built before this module, started as a
 * process with its own database on an embedded PostgreSQL and configured through its environment, as the launcher
 * does, and anvil with the TributePayouts contract deployed, so that the demo's settlement is paid on-chain. The
 * commands themselves are checked against the same services: outputs and exit codes.
 */
class DemoAgainstRealServicesTest {

    private static final Path ROOT = Path.of(System.getProperty("tribute.root", "..")).toAbsolutePath().normalize();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final List<ServiceProcess> SERVICES = new ArrayList<>();
    private static final Map<String, Integer> GRPC_PORTS = new LinkedHashMap<>();
    private static final String CURRENCY = "eip155:31337/slip44:60";
    /** anvil's first default account, the address of {@link AnvilServer#DEFAULT_PRIVATE_KEY}. */
    private static final String PAYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    private static AnvilServer anvil;

    @BeforeAll
    static void startTheSuite() throws Exception {
        anvil = AnvilServer.launch();
        String payoutsContract = deployTributePayouts();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
        Path logs = Files.createDirectories(Path.of("target", "services"));
        for (String service : List.of("registry", "attribution", "payout")) {
            GRPC_PORTS.put(service, freePort());
        }
        for (String service : GRPC_PORTS.keySet()) {
            Path app = ROOT.resolve(service + "-service/target/quarkus-app");
            assertThat(app.resolve("quarkus-run.jar")).as("built earlier in the reactor").isRegularFile();
            Path jar = snapshot(app, logs.resolve(service + "-service")).resolve("quarkus-run.jar");
            PostgresDatabase database = postgres.createDatabase(service);
            int managementPort = freePort();
            Map<String, String> environment = new HashMap<>(database.environment());
            environment.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(GRPC_PORTS.get(service)));
            environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            if (service.equals("payout")) {
                environment.putAll(Map.of(
                        "TRIBUTE_PAYOUT_CHAIN_ID", "eip155:" + anvil.chainId(),
                        "TRIBUTE_PAYOUT_CURRENCIES", CURRENCY,
                        "TRIBUTE_PAYOUT_CHAIN_RPC_URL", anvil.rpcUrl(),
                        "TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEY", AnvilServer.DEFAULT_PRIVATE_KEY,
                        "TRIBUTE_PAYOUT_CONTRACT_ADDRESS", payoutsContract,
                        "TRIBUTE_PAYOUT_CONFIRMATIONS", "1",
                        "TRIBUTE_PAYOUT_SETTLER_INTERVAL", "200ms"));
            }
            for (String peer : List.of("registry", "attribution")) {
                if (!peer.equals(service)) {
                    environment.put("QUARKUS_GRPC_CLIENTS_" + peer.toUpperCase() + "_HOST", "localhost");
                    environment.put("QUARKUS_GRPC_CLIENTS_" + peer.toUpperCase() + "_PORT", Integer.toString(GRPC_PORTS.get(peer)));
                }
            }
            SERVICES.add(ServiceProcess.start(service + "-service", managementPort, jar, logs, environment));
        }
        for (ServiceProcess service : SERVICES) {
            service.awaitReady(READY_TIMEOUT);
        }
    }

    @AfterAll
    static void stopTheSuite() {
        SERVICES.reversed().forEach(service -> service.stop(STOP_GRACE));
        if (anvil != null) {
            anvil.close();
        }
    }

    /** Deploys the contract payout-service compiled (admin and payer: anvil's first, unlocked, account). */
    private static String deployTributePayouts() throws IOException, InterruptedException {
        String artifact = Files.readString(ROOT.resolve("payout-service/target/classes/contracts/TributePayouts.json"));
        Matcher bytecode = Pattern.compile("\"bytecode\"\\s*:\\s*\"(0x[0-9a-fA-F]+)\"").matcher(artifact);
        assertThat(bytecode.find()).as("TributePayouts compiled by payout-service's build").isTrue();
        String payer = "000000000000000000000000" + PAYER.substring(2).toLowerCase();
        String transaction = result(anvil.rpc("eth_sendTransaction", "[{\"from\":\"" + PAYER + "\",\"gas\":\"0x989680\","
                + "\"data\":\"" + bytecode.group(1) + payer + payer + "\"}]"));
        for (int attempt = 0; attempt < 100; attempt++) {
            Matcher address = Pattern.compile("\"contractAddress\"\\s*:\\s*\"(0x[0-9a-fA-F]{40})\"")
                    .matcher(anvil.rpc("eth_getTransactionReceipt", "[\"" + transaction + "\"]"));
            if (address.find()) {
                return address.group(1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("TributePayouts was not deployed");
    }

    private static String result(String response) {
        Matcher result = Pattern.compile("\"result\"\\s*:\\s*\"([^\"]*)\"").matcher(response);
        assertThat(result.find()).as(response).isTrue();
        return result.group(1);
    }

    @Test
    void demoTellsTheStoryAndItsChecksHold(@TempDir Path workDirectory) throws IOException {
        StringWriter printed = new StringWriter();
        DemoResult result;
        try (ServiceClients clients = new ServiceClients(target("registry"), target("attribution"), target("payout"),
                Duration.ofSeconds(20))) {
            result = new DemoStory(clients, new DemoStory.Settings(31337, CURRENCY,
                    new BigInteger("1000000000000000000"), URI.create(anvil.rpcUrl()), Duration.ofSeconds(60), null,
                    workDirectory), new PrintWriter(printed, true)).run();
        }

        Files.writeString(Path.of("target", "demo-story.txt"), printed.toString());
        assertThat(result.shareSumPpm()).isEqualTo(1_000_000);
        assertThat(result.attribution().getSharesList()).as("every contributor of the story is credited").hasSize(8);
        assertThat(result.attribution().getShares(0).getExplanationsList()).isNotEmpty();
        assertThat(result.originalVerdict()).isEqualTo(Verdict.VERDICT_AUTHENTIC);
        assertThat(result.tamperedVerdict()).isEqualTo(Verdict.VERDICT_MODIFIED);
        assertThat(result.inclusionProofVerified()).isTrue();
        assertThat(result.checkpointSignatureVerified()).isTrue();
        assertThat(result.settlementSkipReason()).isEmpty();
        assertThat(result.settlementState()).isEqualTo("settled");
        assertThat(result.transactionHashes()).isNotEmpty().allMatch(hash -> hash.matches("0x[0-9a-f]{64}"));
        assertThat(result.chainBalancesMatchLedger()).as("every wallet's balance on the chain equals its paid balance")
                .isTrue();
        assertThat(printed.toString())
                .contains("bound (EIP-191 signature", "Merkle root", "training data", "review", "on-chain",
                        "✓ signature verified", "→ MODIFIED");
    }

    @Test
    void demoCommandRunsAgainAndExitsZero(@TempDir Path workDirectory) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exitCode = TributeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "--registry", target("registry"), "--attribution", target("attribution"), "--payout", target("payout"),
                "demo", "--chain-rpc", anvil.rpcUrl(), "--work-dir", workDirectory.toString());

        assertThat(exitCode).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("shares sum to 1,000,000 ppm", "tampered file MODIFIED", "settlement settled");
    }

    @Test
    void commandsAnswerWithTheDocumentedExitCodes(@TempDir Path directory) throws Exception {
        String[] endpoints = {"--registry", target("registry"), "--attribution", target("attribution"), "--payout",
            target("payout")};
        Path notes = Files.writeString(directory.resolve("notes.txt"), "field notes " + System.nanoTime());
        Path edited = Files.writeString(directory.resolve("edited.txt"), Files.readString(notes) + " (edited)");

        Run contributor = cli(endpoints, "-o", "json", "register", "contributor", "--name", "Ada", "--external-ref",
                "cli-test/" + System.nanoTime());
        CreateContributorResponse.Builder created = CreateContributorResponse.newBuilder();
        JsonFormat.parser().merge(contributor.out, created);
        String ada = created.getContributor().getId();
        Run registered = cli(endpoints, "register", "asset", "--file", notes.toString(), "--kind", "DATA_ITEM", "--creator", ada);
        Run refused = cli(endpoints, "register", "asset", "--file", edited.toString(), "--kind", "DATA_ITEM", "--creator",
                ada + "=999999");
        Run authentic = cli(endpoints, "verify", notes.toString());
        Run unregistered = cli(endpoints, "verify", edited.toString());
        Run unknown = cli(endpoints, "attribution", "show", "--output-sha256", "0".repeat(64));
        Run balance = cli(endpoints, "balance", ada);

        assertThat(contributor.exitCode).as(contributor.err).isEqualTo(ExitCodes.OK);
        assertThat(registered.exitCode).as(registered.err).isEqualTo(ExitCodes.OK);
        assertThat(registered.out).startsWith("registered DATA_ITEM");
        assertThat(refused.exitCode).isEqualTo(ExitCodes.INVALID_ARGUMENT);
        assertThat(refused.err).startsWith("error: INVALID_ARGUMENT").contains("  invalid asset.creators")
                .doesNotContain("\tat ");
        assertThat(authentic.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(authentic.out).startsWith("AUTHENTIC");
        assertThat(unregistered.exitCode).isEqualTo(ExitCodes.NOT_VERIFIED);
        assertThat(unregistered.out).startsWith("UNREGISTERED");
        assertThat(unknown.exitCode).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err).startsWith("error: NOT_FOUND ATTRIBUTION_NOT_FOUND");
        assertThat(balance.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(balance.out).contains("has earned nothing yet");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String[] endpoints, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Arrays.stream(endpoints), Arrays.stream(args))
                .toArray(String[]::new);
        int exitCode = TributeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** Links the built application into {@code copy}, so that a rebuild of the service cannot change it under the test. */
    private static Path snapshot(Path app, Path copy) throws IOException {
        try (var files = Files.walk(app)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(app.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.deleteIfExists(target);
                    try {
                        Files.createLink(target, file);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(file, target);
                    }
                }
            }
        }
        return copy;
    }

    private static String target(String service) {
        return "localhost:" + GRPC_PORTS.get(service);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
