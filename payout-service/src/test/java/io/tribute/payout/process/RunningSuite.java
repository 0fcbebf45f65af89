package io.tribute.payout.process;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.tribute.attribution.v1.AttributionServiceGrpc;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceBlockingStub;
import io.tribute.payout.chain.LocalChain;
import io.tribute.payout.v1.PayoutServiceGrpc;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.registry.v1.RegistryServiceGrpc;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.AnvilServer;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The suite as real processes for end-to-end tests: the registry-service and attribution-service jars (built before
 * this module in the reactor), this module's own payout-service jar (built in {@code package}, before the *IT tests
 * run), each with a fresh database of its own on the shared embedded PostgreSQL, and a LocalChain (anvil with
 * TributePayouts and a TestToken deployed, the payer funded and approved). Every service is configured only through
 * environment variables, as Kubernetes configures it. The payout process can be killed (SIGKILL) and started again
 * against the same database and chain.
 */
final class RunningSuite implements AutoCloseable {

    static final Path REGISTRY_JAR = Path.of("../registry-service/target/quarkus-app/quarkus-run.jar");
    static final Path ATTRIBUTION_JAR = Path.of("../attribution-service/target/quarkus-app/quarkus-run.jar");
    static final Path PAYOUT_JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** Blocks from inclusion to head before a batch counts as paid, in these tests. */
    static final int CONFIRMATIONS = 2;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    final LocalChain chain;
    private final Path logs;
    private final Map<String, String> payoutEnvironment;
    private final int payoutManagementPort;
    private final ServiceProcess registry;
    private final ServiceProcess attribution;
    private final ManagedChannel registryChannel;
    private final ManagedChannel attributionChannel;
    private final ManagedChannel payoutChannel;
    private ServiceProcess payout;
    private int payoutStarts;

    private RunningSuite(LocalChain chain, Path logs, Map<String, String> payoutEnvironment, int payoutManagementPort,
            ServiceProcess registry, ServiceProcess attribution, int registryPort, int attributionPort,
            int payoutPort) {
        this.chain = chain;
        this.logs = logs;
        this.payoutEnvironment = payoutEnvironment;
        this.payoutManagementPort = payoutManagementPort;
        this.registry = registry;
        this.attribution = attribution;
        this.registryChannel = channel(registryPort);
        this.attributionChannel = channel(attributionPort);
        this.payoutChannel = channel(payoutPort);
    }

    /** Starts anvil, the three services (ready), and returns the running suite. */
    static RunningSuite start() throws IOException, InterruptedException {
        for (Path jar : List.of(REGISTRY_JAR, ATTRIBUTION_JAR, PAYOUT_JAR)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the reactor builds it first");
            }
        }
        Path logs = Files.createDirectories(Path.of("target/it-logs"));
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
        LocalChain chain = LocalChain.start();

        int registryPort = freePort();
        Map<String, String> registryEnvironment = serviceEnvironment(postgres.createDatabase("registry"),
                registryPort, freePort());
        ServiceProcess registry = ServiceProcess.start("registry-service", managementPortOf(registryEnvironment),
                REGISTRY_JAR.toAbsolutePath(), logs, registryEnvironment);

        int attributionPort = freePort();
        Map<String, String> attributionEnvironment = serviceEnvironment(postgres.createDatabase("attribution"),
                attributionPort, freePort());
        attributionEnvironment.putAll(peer("registry", registryPort));
        ServiceProcess attribution = ServiceProcess.start("attribution-service",
                managementPortOf(attributionEnvironment), ATTRIBUTION_JAR.toAbsolutePath(), logs,
                attributionEnvironment);

        int payoutPort = freePort();
        int payoutManagementPort = freePort();
        Map<String, String> payoutEnvironment = serviceEnvironment(postgres.createDatabase("payout"), payoutPort,
                payoutManagementPort);
        payoutEnvironment.putAll(peer("registry", registryPort));
        payoutEnvironment.putAll(peer("attribution", attributionPort));
        payoutEnvironment.putAll(Map.of(
                "TRIBUTE_PAYOUT_CHAIN_ID", "eip155:" + chain.anvil.chainId(),
                "TRIBUTE_PAYOUT_CURRENCIES", "eip155:" + chain.anvil.chainId() + "/slip44:60,"
                        + chain.tokenCurrency(),
                "TRIBUTE_PAYOUT_CHAIN_RPC_URL", chain.anvil.rpcUrl(),
                "TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEY", AnvilServer.DEFAULT_PRIVATE_KEY,
                "TRIBUTE_PAYOUT_CONTRACT_ADDRESS", chain.payouts,
                "TRIBUTE_PAYOUT_CONFIRMATIONS", Integer.toString(CONFIRMATIONS),
                "TRIBUTE_PAYOUT_SETTLER_INTERVAL", "200ms"));

        registry.awaitReady(READY_TIMEOUT);
        attribution.awaitReady(READY_TIMEOUT);
        RunningSuite suite = new RunningSuite(chain, logs, payoutEnvironment, payoutManagementPort, registry,
                attribution, registryPort, attributionPort, payoutPort);
        suite.startPayout();
        return suite;
    }

    /** Starts the payout process (again) against the same database and chain, and waits until it is ready. */
    void startPayout() throws IOException, InterruptedException {
        payoutStarts++;
        payout = ServiceProcess.start("payout-service-" + payoutStarts, payoutManagementPort,
                PAYOUT_JAR.toAbsolutePath(), logs, payoutEnvironment);
        payout.awaitReady(READY_TIMEOUT);
    }

    /** Kills the payout process as {@code kill -9} does (no shutdown hook runs) and waits until it is gone. */
    void killPayout() {
        String jar = PAYOUT_JAR.toAbsolutePath().toString();
        List<ProcessHandle> killed = ProcessHandle.current().children()
                .filter(child -> child.info().commandLine().map(line -> line.contains(jar)).orElse(false))
                .toList();
        if (killed.isEmpty()) {
            throw new IllegalStateException("no payout-service process to kill");
        }
        killed.forEach(ProcessHandle::destroyForcibly);
        killed.forEach(process -> process.onExit().join());
    }

    boolean payoutAlive() {
        return payout.isAlive();
    }

    RegistryServiceBlockingStub registry() {
        return RegistryServiceGrpc.newBlockingStub(registryChannel)
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    AttributionServiceBlockingStub attribution() {
        return AttributionServiceGrpc.newBlockingStub(attributionChannel)
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    PayoutServiceBlockingStub payout() {
        return PayoutServiceGrpc.newBlockingStub(payoutChannel)
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        for (ManagedChannel channel : List.of(registryChannel, attributionChannel, payoutChannel)) {
            channel.shutdownNow();
        }
        for (ServiceProcess service : List.of(payout, attribution, registry)) {
            if (service != null) {
                service.stop(STOP_GRACE);
            }
        }
        chain.close();
    }

    private static Map<String, String> serviceEnvironment(PostgresDatabase database, int grpcPort,
            int managementPort) {
        Map<String, String> environment = new HashMap<>(database.environment());
        environment.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPort));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return environment;
    }

    private static int managementPortOf(Map<String, String> environment) {
        return Integer.parseInt(environment.get("QUARKUS_MANAGEMENT_PORT"));
    }

    private static Map<String, String> peer(String name, int port) {
        String prefix = "QUARKUS_GRPC_CLIENTS_" + name.toUpperCase(java.util.Locale.ROOT) + "_";
        return Map.of(prefix + "HOST", "localhost", prefix + "PORT", Integer.toString(port));
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
