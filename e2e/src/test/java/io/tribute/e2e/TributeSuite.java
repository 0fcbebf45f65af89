package io.tribute.e2e;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tribute as real processes, shared by every end-to-end test of this JVM: an embedded PostgreSQL of its own (a
 * database per service), a {@link LocalChain} (anvil with TributePayouts and a test ERC-20 deployed, the payer funded
 * and approved), and the registry, attribution and payout jars the reactor built, each configured only through
 * environment variables, as Kubernetes configures it. Any service can be killed ({@code kill -9}) and started again
 * on the same ports and database; PostgreSQL and anvil can be restarted with their data.
 */
final class TributeSuite implements AutoCloseable {

    /** The three services, in start order (each after the peers it reads). */
    enum Service {
        REGISTRY, ATTRIBUTION, PAYOUT;

        String artifact() {
            return name().toLowerCase(Locale.ROOT) + "-service";
        }
    }

    /** Blocks from inclusion to head before a batch counts as paid. */
    static final int CONFIRMATIONS = 2;

    private static final Path ROOT = Path.of(System.getProperty("tribute.root", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "e2e").toAbsolutePath();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private static TributeSuite shared;

    final LocalChain chain;
    final EmbeddedPostgresServer postgres;
    private final String currency;
    private final Map<Service, ServiceSetup> setups;
    private final Map<Service, ServiceProcess> processes = new EnumMap<>(Service.class);
    private final Map<Service, ManagedChannel> channels = new EnumMap<>(Service.class);
    private int starts;

    /** How one service is started: its copied jar, its ports and its environment. */
    private record ServiceSetup(Path jar, int grpcPort, int managementPort, Map<String, String> environment) {
    }

    private TributeSuite(LocalChain chain, EmbeddedPostgresServer postgres, Map<Service, ServiceSetup> setups) {
        this.chain = chain;
        this.postgres = postgres;
        this.setups = setups;
        this.currency = chain.tokenCurrency();
        setups.forEach((service, setup) -> channels.put(service,
                NettyChannelBuilder.forAddress("localhost", setup.grpcPort()).usePlaintext().build()));
    }

    /** The suite of this JVM, started on first use and stopped when the JVM exits. */
    static synchronized TributeSuite shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "tribute-suite-stop"));
        }
        return shared;
    }

    private static TributeSuite start() throws IOException, InterruptedException {
        Files.createDirectories(WORK.resolve("logs"));
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startInTemporaryDirectory();
        LocalChain chain = LocalChain.start();
        Map<Service, Integer> grpcPorts = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            grpcPorts.put(service, freePort());
        }
        Map<Service, ServiceSetup> setups = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            Map<String, String> environment = new HashMap<>(postgres.createDatabase(service.name().toLowerCase(
                    Locale.ROOT)).environment());
            int managementPort = freePort();
            environment.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPorts.get(service)));
            environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            if (service != Service.REGISTRY) {
                environment.putAll(peer("registry", grpcPorts.get(Service.REGISTRY)));
            }
            if (service == Service.PAYOUT) {
                environment.putAll(peer("attribution", grpcPorts.get(Service.ATTRIBUTION)));
                environment.putAll(chainEnvironment(chain));
            }
            setups.put(service, new ServiceSetup(copyOfApp(service), grpcPorts.get(service), managementPort,
                    environment));
        }
        TributeSuite suite = new TributeSuite(chain, postgres, setups);
        for (Service service : Service.values()) {
            suite.startService(service);
        }
        return suite;
    }

    /** Starts {@code service} (again) on its ports and database, and waits until it is ready. */
    void startService(Service service) throws IOException, InterruptedException {
        ServiceSetup setup = setups.get(service);
        ServiceProcess process = ServiceProcess.start(service.artifact() + "-" + (++starts), setup.managementPort(),
                setup.jar(), WORK.resolve("logs"), setup.environment());
        processes.put(service, process);
        process.awaitReady(READY_TIMEOUT);
    }

    /** Kills {@code service} as {@code kill -9} does (no shutdown hook runs) and waits until it is gone. */
    void kill(Service service) {
        processes.get(service).kill();
    }

    boolean isAlive(Service service) {
        return processes.get(service).isAlive();
    }

    /** True while the service's readiness probe answers UP. */
    boolean isReady(Service service) {
        return processes.get(service).isReady();
    }

    void awaitReady(Service service, Duration timeout) throws InterruptedException {
        processes.get(service).awaitReady(timeout);
    }

    RegistryServiceBlockingStub registry() {
        return RegistryServiceGrpc.newBlockingStub(channels.get(Service.REGISTRY)).withDeadlineAfter(
                CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The asynchronous stub, for the client-streaming RegisterAssets. */
    RegistryServiceGrpc.RegistryServiceStub registryStreaming() {
        return RegistryServiceGrpc.newStub(channels.get(Service.REGISTRY)).withDeadlineAfter(
                CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    AttributionServiceBlockingStub attribution() {
        return AttributionServiceGrpc.newBlockingStub(channels.get(Service.ATTRIBUTION)).withDeadlineAfter(
                CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    PayoutServiceBlockingStub payout() {
        return PayoutServiceGrpc.newBlockingStub(channels.get(Service.PAYOUT)).withDeadlineAfter(
                CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The currency every test settles in: the test ERC-20 on the local chain (CAIP-19). */
    String currency() {
        return currency;
    }

    @Override
    public synchronized void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        List.of(Service.PAYOUT, Service.ATTRIBUTION, Service.REGISTRY).stream().map(processes::get)
                .filter(process -> process != null).forEach(process -> process.stop(STOP_GRACE));
        chain.close();
        postgres.close();
    }

    private static Map<String, String> chainEnvironment(LocalChain chain) {
        String chainId = "eip155:" + chain.anvil.chainId();
        return Map.of(
                "TRIBUTE_PAYOUT_CHAIN_ID", chainId,
                "TRIBUTE_PAYOUT_CURRENCIES", chainId + "/slip44:60," + chain.tokenCurrency(),
                "TRIBUTE_PAYOUT_CHAIN_RPC_URL", chain.anvil.rpcUrl(),
                "TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEY", AnvilServer.DEFAULT_PRIVATE_KEY,
                "TRIBUTE_PAYOUT_CONTRACT_ADDRESS", chain.payouts,
                "TRIBUTE_PAYOUT_CONFIRMATIONS", Integer.toString(CONFIRMATIONS),
                "TRIBUTE_PAYOUT_SETTLER_INTERVAL", "200ms");
    }

    private static Map<String, String> peer(String name, int port) {
        String prefix = "QUARKUS_GRPC_CLIENTS_" + name.toUpperCase(Locale.ROOT) + "_";
        return Map.of(prefix + "HOST", "localhost", prefix + "PORT", Integer.toString(port));
    }

    /** A private copy of the service's app, so that a rebuild of the service during the run cannot change it. */
    private static Path copyOfApp(Service service) throws IOException {
        Path app = ROOT.resolve(service.artifact()).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + "/quarkus-run.jar is missing: the reactor builds it first");
        }
        Path copy = WORK.resolve("apps").resolve(service.artifact());
        if (Files.exists(copy)) {
            try (Stream<Path> stale = Files.walk(copy)) {
                for (Path file : stale.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(app.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy.resolve("quarkus-run.jar");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
