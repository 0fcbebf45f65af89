import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputsRequest;
import io.tribute.attribution.v1.AttributeOutputsResponse;
import io.tribute.attribution.v1.AttributionServiceGrpc;
import io.tribute.attribution.v1.Evidence;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetInclusionProofRequest;
import io.tribute.attribution.v1.InfluenceScore;
import io.tribute.attribution.v1.Output;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc;
import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * attribution-service benchmark: embedded PostgreSQL, the real registry jar and the attribution jar (configured
 * by environment, as the launcher does), load from this plain-java harness over gRPC (Netty, closed-loop
 * callers). Every figure is printed beside the gRPC health check rate of the attribution server in the same
 * run (the ceiling of this machine for a trivial call).
 *
 * <p>Data: a 3-deep finetune chain m0 → m1 → m2 → m3 (m3 USES_ARCHITECTURE arch; each model TRAINED_ON one
 * data item), a prompt, and 10,000 registered data items (by 2,500 creators) that influence scores name.
 *
 * <p>The log: before anything else, {@code bench.logLeaves} (10,000,000) leaves and their perfect-subtree
 * hashes are bulk-loaded straight into log_leaf / log_node (with SQL, hashes computed by PostgreSQL's
 * sha256()), so that the inclusion proofs are measured at that size and every later append lands on top.
 */
public class AttributionBench {

    static final int REGISTRY_GRPC = Integer.getInteger("bench.registryPort", 18381);
    static final int REGISTRY_MANAGEMENT = Integer.getInteger("bench.registryManagementPort", 19381);
    static final int GRPC = Integer.getInteger("bench.grpcPort", 18382);
    static final int MANAGEMENT = Integer.getInteger("bench.managementPort", 19382);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 5);
    static final int CALLERS = Integer.getInteger("bench.callers", 32);
    static final int LARGE_CALLERS = Integer.getInteger("bench.largeCallers", 4);
    static final int STREAMS = Integer.getInteger("bench.streams", 4);
    static final long LOG_LEAVES = Long.getLong("bench.logLeaves", 10_000_000L);
    /** PostgreSQL shared_buffers of the benchmark's server (set before the services start; empty = default). */
    static final String SHARED_BUFFERS = System.getProperty("bench.sharedBuffers", "1GB");
    /** Phases left out, comma-separated: proofs, small (100 scores), large (10,000 scores), appends. */
    static final List<String> SKIP = Arrays.asList(System.getProperty("bench.skip", "").split(","));
    static final int ITEMS = 10_000;
    static final int WINDOW = 64;
    /** Below the service's tribute.attribution.stream.max-items (100,000). */
    static final int MAX_STREAM_ITEMS = 90_000;
    static final int CREATORS = 2_500;
    static final HexFormat HEX = HexFormat.of();
    static CpuMeter cpu;
    /** With -Dbench.statements=true: the attribution database's statements measured per phase, else null. */
    static StatementMeter statements;
    static final List<String> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path registryJar = Path.of(args[0]);
        Path attributionJar = Path.of(args[1]);
        Path registryLog = Files.createTempFile("attribution-bench-registry", ".log");
        Path attributionLog = Files.createTempFile("attribution-bench-attribution", ".log");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startInTemporaryDirectory()) {
            PostgresDatabase registryDb = postgres.createDatabaseNamed("registry");
            PostgresDatabase attributionDb = postgres.createDatabaseNamed("attribution");
            configure(postgres);
            if (Boolean.getBoolean("bench.statements")) {
                statements = StatementMeter.install(postgres, attributionDb);
            }
            Process registry = start(registryJar, registryDb.environment(), REGISTRY_GRPC, REGISTRY_MANAGEMENT,
                    Map.of(), registryLog);
            Process attribution = start(attributionJar, attributionDb.environment(), GRPC, MANAGEMENT,
                    Map.of("QUARKUS_GRPC_CLIENTS_REGISTRY_HOST", "localhost",
                            "QUARKUS_GRPC_CLIENTS_REGISTRY_PORT", Integer.toString(REGISTRY_GRPC)), attributionLog);
            cpu = new CpuMeter(attribution.toHandle(), registry.toHandle(), postgres.port());
            EventLoopGroup loops = new NioEventLoopGroup(2);
            ManagedChannel registryChannel = channel(REGISTRY_GRPC, loops);
            List<ManagedChannel> channels = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                channels.add(channel(GRPC, loops));
            }
            try {
                awaitServing(registryChannel, registry, registryLog);
                awaitServing(channels.getFirst(), attribution, attributionLog);
                bulkLoadLog(attributionDb);
                run(registryChannel, channels);
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
                registryChannel.shutdownNow();
                loops.shutdownGracefully();
                attribution.destroy();
                registry.destroy();
                attribution.waitFor(30, TimeUnit.SECONDS);
                registry.waitFor(30, TimeUnit.SECONDS);
            }
        }
        System.out.println();
        System.out.println("| measurement | result | target |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println("(service logs: " + attributionLog + ", " + registryLog + ")");
    }

    static void run(ManagedChannel registryChannel, List<ManagedChannel> channels) throws Exception {
        var registry = RegistryServiceGrpc.newBlockingStub(registryChannel);
        List<AttributionServiceGrpc.AttributionServiceFutureStub> service =
                channels.stream().map(AttributionServiceGrpc::newFutureStub).toList();
        var blocking = AttributionServiceGrpc.newBlockingStub(channels.getFirst());
        List<HealthGrpc.HealthFutureStub> health = channels.stream().map(HealthGrpc::newFutureStub).toList();
        int n = channels.size();

        // Inclusion proofs at the bulk-loaded size (the first checkpoint covers it).
        long treeSize = blocking.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getCheckpoint().getTreeSize();
        System.out.printf("log: %,d leaves at the first checkpoint%n", treeSize);
        closedLoop("warm-up health", CALLERS, WARMUP_SECONDS,
                c -> health.get(c % n).check(HealthCheckRequest.getDefaultInstance()), null);
        closedLoop("gRPC health check (ceiling), " + CALLERS + " callers", CALLERS, SECONDS,
                c -> health.get(c % n).check(HealthCheckRequest.getDefaultInstance()), "ceiling");
        if (runs("proofs")) {
            closedLoop("warm-up GetInclusionProof", 8, WARMUP_SECONDS,
                    c -> service.get(c % n).getInclusionProof(GetInclusionProofRequest.newBuilder()
                            .setLogIndex(ThreadLocalRandom.current().nextLong(treeSize)).setTreeSize(treeSize).build()),
                    null);
            closedLoop("GetInclusionProof at " + String.format("%,d", treeSize) + " leaves, 1 caller", 1, SECONDS,
                    c -> service.get(0).getInclusionProof(GetInclusionProofRequest.newBuilder()
                            .setLogIndex(ThreadLocalRandom.current().nextLong(treeSize)).setTreeSize(treeSize).build()),
                    "≤ 5 ms");
            closedLoop("GetInclusionProof at " + String.format("%,d", treeSize) + " leaves, 8 callers", 8, SECONDS,
                    c -> service.get(c % n).getInclusionProof(GetInclusionProofRequest.newBuilder()
                            .setLogIndex(ThreadLocalRandom.current().nextLong(treeSize)).setTreeSize(treeSize).build()),
                    "≤ 5 ms");
        }

        // The lineage and the data items.
        String[] creators = new String[CREATORS];
        for (int i = 0; i < CREATORS; i++) {
            creators[i] = registry.createContributor(CreateContributorRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setContributor(Contributor.newBuilder().setDisplayName("creator " + i)
                            .setExternalRef("bench-" + UUID.randomUUID())).build()).getContributor().getId();
        }
        String[] items = registerItems(RegistryServiceGrpc.newStub(registryChannel), creators);
        String arch = register(registry, asset(AssetKind.ASSET_KIND_MODEL_ARCHITECTURE, creators[0]));
        String model = register(registry, asset(AssetKind.ASSET_KIND_MODEL, creators[1])
                .addParents(parent(arch, EdgeType.EDGE_TYPE_USES_ARCHITECTURE))
                .addParents(parent(items[0], EdgeType.EDGE_TYPE_TRAINED_ON)));
        for (int depth = 1; depth <= 3; depth++) {
            model = register(registry, asset(AssetKind.ASSET_KIND_MODEL, creators[1 + depth])
                    .addParents(parent(model, EdgeType.EDGE_TYPE_FINETUNED_FROM))
                    .addParents(parent(items[depth], EdgeType.EDGE_TYPE_TRAINED_ON)));
        }
        String prompt = register(registry, asset(AssetKind.ASSET_KIND_PROMPT, creators[5]));
        String m0 = model;
        System.out.println("lineage registered: 3-deep finetune chain, " + ITEMS + " data items");

        Evidence small = evidence(items, 100);
        Evidence large = evidence(items, ITEMS);
        if (runs("small")) {
            closedLoop("warm-up AttributeOutput, 100 scores", CALLERS, WARMUP_SECONDS,
                    c -> service.get(c % n).attributeOutput(request(m0, prompt, small)), null);
            closedLoop("AttributeOutput, 100 scores, 3-deep finetune chain, " + CALLERS + " callers", CALLERS,
                    SECONDS, c -> service.get(c % n).attributeOutput(request(m0, prompt, small)),
                    "≥ 2,000/s, p99 ≤ 30 ms");
        }
        if (runs("large")) {
            closedLoop("warm-up AttributeOutput, 10,000 scores", LARGE_CALLERS, WARMUP_SECONDS,
                    c -> service.get(c % n).attributeOutput(request(m0, prompt, large)), null);
            closedLoop("AttributeOutput, 10,000 scores, 3-deep finetune chain, " + LARGE_CALLERS + " callers",
                    LARGE_CALLERS, SECONDS,
                    c -> service.get(c % n).attributeOutput(request(m0, prompt, large)), "≥ 100/s");
        }
        if (runs("appends")) {
            logAppends("warm-up log appends", WARMUP_SECONDS, channels, m0, null);
            logAppends("log appends via AttributeOutputs (" + STREAMS + " streams, no evidence; one leaf per item)",
                    SECONDS, channels, m0, "≥ 5,000 leaves/s");
        }
        closedLoop("gRPC health check (ceiling, at the end), " + CALLERS + " callers", CALLERS, SECONDS,
                c -> health.get(c % n).check(HealthCheckRequest.getDefaultInstance()), "ceiling");
    }

    /** Applies bench.sharedBuffers (read only at start: the server restarts with it). */
    static void configure(EmbeddedPostgresServer postgres) {
        if (!SHARED_BUFFERS.isBlank()) {
            System.out.println("PostgreSQL shared_buffers = " + postgres.restartWith("shared_buffers", SHARED_BUFFERS));
        }
    }

    static boolean runs(String phase) {
        return !SKIP.contains(phase);
    }

    /**
     * Log appends end to end: AttributeOutputs streams of outputs without evidence (each item is one
     * attribution and one leaf; the service stores them in group-committed batches under the log's append lock).
     */
    static void logAppends(String name, int seconds, List<ManagedChannel> channels, String model, String target)
            throws Exception {
        StatementMeter.reset(statements, target);
        CpuMeter.Sample cpuBefore = cpu.sample();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong leaves = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            var stub = AttributionServiceGrpc.newStub(channels.get(s % channels.size()));
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done.add(finished);
            // At most WINDOW items of a stream in flight: enough to keep the server's stream-concurrency busy.
            Semaphore window = new Semaphore(WINDOW);
            StreamObserver<AttributeOutputsRequest> requests = stub.attributeOutputs(new StreamObserver<>() {
                @Override
                public void onNext(AttributeOutputsResponse response) {
                    (response.hasAttribution() ? leaves : failed).incrementAndGet();
                    window.release();
                }

                @Override
                public void onError(Throwable failure) {
                    System.err.println("stream: " + failure);
                    finished.complete(null);
                }

                @Override
                public void onCompleted() {
                    finished.complete(null);
                }
            });
            // A daemon that gives up when the stream has ended (a failed stream answers nothing more).
            Thread.ofPlatform().daemon().start(() -> {
                int sent = 0;
                try {
                    while (System.nanoTime() < end && sent < MAX_STREAM_ITEMS && !finished.isDone()) {
                        if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        requests.onNext(AttributeOutputsRequest.newBuilder().setItem(request(model, null, null))
                                .build());
                        sent++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                requests.onCompleted();
            });
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        String row = String.format("| %s | %,.0f leaves/s (%,d leaves in %.1f s)%s; %s | %s |", name,
                leaves.get() / elapsed, leaves.get(), elapsed,
                failed.get() == 0 ? "" : "; " + failed.get() + " failed items", cpu.perCall(cpuBefore, leaves.get()),
                target == null ? "" : target);
        System.out.println(row);
        if (target != null) {
            rows.add(row);
            StatementMeter.print(statements, leaves.get(), "leaf");
        }
    }

    /**
     * Bulk-loads leaves 0..LOG_LEAVES-1 (data = SHA-256 of the index) and every perfect-subtree hash, level by
     * level, with SQL: what the service would have written by appending them one by one.
     */
    static void bulkLoadLog(PostgresDatabase database) throws Exception {
        long started = System.nanoTime();
        try (Connection sql = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                Statement statement = sql.createStatement()) {
            statement.execute("SET synchronous_commit = off");
            statement.execute("INSERT INTO log_leaf (leaf_index, leaf_data) SELECT i, sha256(int8send(i)) "
                    + "FROM generate_series(0, " + (LOG_LEAVES - 1) + ") AS i");
            statement.execute("INSERT INTO log_node (level, node_index, hash) SELECT 0, leaf_index, "
                    + "sha256('\\x00'::bytea || leaf_data) FROM log_leaf");
            for (int level = 1; (1L << level) <= LOG_LEAVES; level++) {
                statement.execute("INSERT INTO log_node (level, node_index, hash) SELECT " + level
                        + ", l.node_index / 2, sha256('\\x01'::bytea || l.hash || r.hash) FROM log_node l "
                        + "JOIN log_node r ON r.level = l.level AND r.node_index = l.node_index + 1 "
                        + "WHERE l.level = " + (level - 1) + " AND l.node_index % 2 = 0");
                // Fresh statistics for the next level's self-join: with stale ones the planner may pick a plan
                // that takes many minutes on one level.
                statement.execute("ANALYZE log_node");
            }
            statement.execute("ANALYZE log_leaf");
            statement.execute("ANALYZE log_node");
        }
        System.out.printf("log bulk-loaded: %,d leaves in %.0f s%n", LOG_LEAVES, (System.nanoTime() - started) / 1e9);
    }

    static String[] registerItems(RegistryServiceGrpc.RegistryServiceStub registry, String[] creators)
            throws Exception {
        CompletableFuture<RegisterAssetsResponse> response = new CompletableFuture<>();
        StreamObserver<RegisterAssetsRequest> stream = registry.withDeadlineAfter(10, TimeUnit.MINUTES)
                .registerAssets(new StreamObserver<>() {
                    @Override
                    public void onNext(RegisterAssetsResponse value) {
                        response.complete(value);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        response.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        for (int i = 0; i < ITEMS; i++) {
            stream.onNext(RegisterAssetsRequest.newBuilder().setAsset(RegisterAssetRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setAsset(asset(AssetKind.ASSET_KIND_DATA_ITEM, creators[i % creators.length]))).build());
        }
        stream.onCompleted();
        return response.get(10, TimeUnit.MINUTES).getResultsList().stream()
                .map(result -> result.getRegistered().getAssetId()).toArray(String[]::new);
    }

    static Evidence evidence(String[] items, int count) {
        Evidence.Builder evidence = Evidence.newBuilder().setMethod("TRAK").setMethodVersion("0.3.2");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            // Python-repr-like decimals, some negative (clipped to zero by the policy).
            evidence.addScores(InfluenceScore.newBuilder().setAssetId(items[i])
                    .setScore(Double.toString(random.nextDouble(-0.01, 1.0) / 1000)));
        }
        return evidence.build();
    }

    static AttributeOutputRequest request(String model, String prompt, Evidence evidence) {
        Output.Builder output = Output.newBuilder().setContentSha256(randomSha()).setModelAssetId(model)
                .setPlatformRef("bench");
        if (prompt != null) {
            output.setPromptAssetId(prompt);
        }
        AttributeOutputRequest.Builder request = AttributeOutputRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setOutput(output);
        if (evidence != null) {
            request.setEvidence(evidence);
        }
        return request.build();
    }

    static Process start(Path jar, Map<String, String> databaseEnvironment, int grpcPort, int managementPort,
            Map<String, String> extra, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(databaseEnvironment);
        builder.environment().putAll(extra);
        builder.environment().put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPort));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return builder.start();
    }

    static ManagedChannel channel(int port, EventLoopGroup loops) {
        // directExecutor: replies are handled on the Netty threads, no hand-off to a thread pool.
        return NettyChannelBuilder.forAddress("localhost", port).usePlaintext().eventLoopGroup(loops)
                .channelType(NioSocketChannel.class).directExecutor().maxInboundMessageSize(64 << 20).build();
    }

    static void awaitServing(ManagedChannel channel, Process service, Path log) throws Exception {
        var health = HealthGrpc.newBlockingStub(channel);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("service exited; see " + log);
            }
            try {
                if (health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
                        .getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("service not serving within 180 s; see " + log);
    }

    static void closedLoop(String name, int callers, int seconds, IntFunction<ListenableFuture<?>> call,
            String target) throws Exception {
        StatementMeter.reset(statements, target);
        CpuMeter.Sample cpuBefore = cpu.sample();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Latencies[] latencies = new Latencies[callers];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            Latencies mine = new Latencies();
            latencies[c] = mine;
            int caller = c;
            new Object() {
                void next() {
                    if (System.nanoTime() >= end) {
                        done.countDown();
                        return;
                    }
                    long t0 = System.nanoTime();
                    Futures.addCallback(call.apply(caller), new FutureCallback<Object>() {
                        @Override
                        public void onSuccess(Object result) {
                            mine.add(System.nanoTime() - t0);
                            next();
                        }

                        @Override
                        public void onFailure(Throwable e) {
                            if (errors.incrementAndGet() == 1) {
                                System.err.println(name + ": " + e);
                            }
                            mine.add(System.nanoTime() - t0);
                            next();
                        }
                    }, MoreExecutors.directExecutor());
                }
            }.next();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(l -> Arrays.stream(l.values, 0, l.count)).sorted()
                .toArray();
        String row = String.format("| %s | %,.0f calls/s; p50 %.2f ms, p99 %.2f ms%s; %s | %s |", name,
                all.length / elapsed, percentile(all, 0.50), percentile(all, 0.99),
                errors.get() == 0 ? "" : "; " + errors.get() + " errors", cpu.perCall(cpuBefore, all.length),
                target == null ? "" : target);
        System.out.println(row);
        if (target != null) {
            rows.add(row);
            StatementMeter.print(statements, all.length, "call");
        }
    }

    /**
     * One caller's latencies, grown as needed: preallocating millions of entries per caller made every
     * measurement allocate hundreds of MB of humongous arrays, whose collection disturbed the next measurement.
     */
    static final class Latencies {
        long[] values = new long[1 << 14];
        int count;

        void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = nanos;
        }
    }

    /**
     * CPU time used per call by each process a call runs on (service, its PostgreSQL server with every backend,
     * the registry, this load generator): unlike a rate, it hardly changes with what else runs on the machine.
     */
    record CpuMeter(ProcessHandle service, ProcessHandle registry, int postgresPort) {

        record Sample(long service, long postgres, long registry, long harness) {
        }

        Sample sample() {
            return new Sample(cpuNanos(service), postgresNanos(), cpuNanos(registry),
                    cpuNanos(ProcessHandle.current()));
        }

        String perCall(Sample before, long calls) {
            Sample after = sample();
            double n = Math.max(calls, 1) * 1e6;
            return String.format("CPU per call: service %.2f ms, PostgreSQL %.2f ms, registry %.2f ms, harness %.2f ms",
                    (after.service() - before.service()) / n, (after.postgres() - before.postgres()) / n,
                    (after.registry() - before.registry()) / n, (after.harness() - before.harness()) / n);
        }

        /** The postmaster listening on the port, and its children (backends, WAL writer, checkpointer, ...). */
        private long postgresNanos() {
            return ProcessHandle.allProcesses().filter(this::isPostmaster)
                    .mapToLong(postmaster -> cpuNanos(postmaster)
                            + postmaster.children().mapToLong(CpuMeter::cpuNanos).sum())
                    .sum();
        }

        private boolean isPostmaster(ProcessHandle process) {
            List<String> arguments = Arrays.asList(process.info().arguments().orElse(new String[0]));
            int port = arguments.indexOf("-p");
            return port >= 0 && port + 1 < arguments.size()
                    && arguments.get(port + 1).equals(Integer.toString(postgresPort));
        }

        private static long cpuNanos(ProcessHandle process) {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
    }

    /**
     * The attribution database's statements in a measured phase, from pg_stat_statements (loaded at the server's
     * start, planning time tracked): per statement, its executions and PostgreSQL's planning plus execution time,
     * per measured call. Time inside the statements only: not the protocol, commits, WAL writer or autovacuum.
     */
    static final class StatementMeter {
        private static final String TOP = """
                SELECT calls, rows, total_plan_time + total_exec_time AS ms,
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS statement
                FROM bench.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY total_plan_time + total_exec_time DESC LIMIT 10""";
        private final PostgresDatabase database;

        private StatementMeter(PostgresDatabase database) {
            this.database = database;
        }

        static StatementMeter install(EmbeddedPostgresServer postgres, PostgresDatabase database) throws Exception {
            postgres.restartWith("shared_preload_libraries", "pg_stat_statements");
            StatementMeter meter = new StatementMeter(database);
            // In a schema of its own: the service's migrations expect an empty public schema.
            meter.execute("CREATE SCHEMA bench", "CREATE EXTENSION pg_stat_statements SCHEMA bench",
                    "ALTER SYSTEM SET pg_stat_statements.track_planning = on", "SELECT pg_reload_conf()");
            return meter;
        }

        /** Before a measured phase (one with a target): starts counting from zero. */
        static void reset(StatementMeter meter, String target) throws Exception {
            if (meter != null && target != null) {
                meter.execute("SELECT bench.pg_stat_statements_reset()");
            }
        }

        static void print(StatementMeter meter, long units, String unit) throws Exception {
            if (meter == null) {
                return;
            }
            try (Connection sql = meter.connect(); Statement statement = sql.createStatement();
                    var top = statement.executeQuery(TOP)) {
                System.out.printf("  statements of this phase (µs of PostgreSQL time per %s; runs and rows per %s):%n",
                        unit, unit);
                double n = Math.max(units, 1);
                while (top.next()) {
                    double micros = top.getDouble("ms") * 1000 / n;
                    if (micros >= 0.05) {
                        System.out.printf("  %8.1f µs  %6.2f runs  %7.2f rows  %s%n", micros, top.getLong("calls") / n,
                                top.getLong("rows") / n, top.getString("statement"));
                    }
                }
            }
        }

        private void execute(String... commands) throws Exception {
            try (Connection sql = connect(); Statement statement = sql.createStatement()) {
                for (String command : commands) {
                    statement.execute(command);
                }
            }
        }

        private Connection connect() throws Exception {
            return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        }
    }

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    static String register(RegistryServiceGrpc.RegistryServiceBlockingStub registry, Asset.Builder asset) {
        return registry.registerAsset(RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setAsset(asset).build()).getAsset().getId();
    }

    static Asset.Builder asset(AssetKind kind, String creator) {
        return Asset.newBuilder().setKind(kind).setSha256(randomSha()).setSizeBytes(1024).setMediaType("text/plain")
                .setLicense("CC-BY-4.0").setDisplayName(kind.name())
                .addCreators(CreatorShare.newBuilder().setContributorId(creator).setSharePpm(1_000_000));
    }

    static AssetParent parent(String id, EdgeType edge) {
        return AssetParent.newBuilder().setParentAssetId(id).setEdgeType(edge).build();
    }

    static String randomSha() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
