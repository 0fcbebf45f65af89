import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthGrpc;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.GetAssetRequest;
import io.tribute.registry.v1.GetLineageRequest;
import io.tribute.registry.v1.GetLineageResponse;
import io.tribute.registry.v1.GetMembershipProofRequest;
import io.tribute.registry.v1.LineageDirection;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc;
import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * registry-service benchmark: embedded PostgreSQL + the registry jar (configured by environment, as the
 * launcher does), load from this process over gRPC, figures printed as a Markdown table. Run by
 * bench/registry/run. Closed-loop callers (each waits for its reply), latencies per call.
 */
public class RegistryBench {

    static final int GRPC_PORT = Integer.getInteger("bench.grpcPort", 18281);
    static final int MANAGEMENT_PORT = Integer.getInteger("bench.managementPort", 19281);
    static final int CALLERS = Integer.getInteger("bench.callers", 32);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 10);
    static final int STREAM_ASSETS = Integer.getInteger("bench.streamAssets", 1_000_000);
    static final int CHANNELS = Integer.getInteger("bench.channels", 4);
    static final int CLIENT_THREADS = Integer.getInteger("bench.clientThreads", 2);
    static final int LINEAGE_CALLERS = Integer.getInteger("bench.lineageCallers", 16);
    static final int STREAMS_IN_PARALLEL = Integer.getInteger("bench.parallelStreams", 4);
    /** Measurements to leave out while iterating, comma-separated: unary, proofs, lookup, get, lineage. */
    static final List<String> SKIP = Arrays.asList(System.getProperty("bench.skip", "").split(","));
    /** PostgreSQL shared_buffers of the benchmark's server (set before the service starts; empty = default). */
    static final String SHARED_BUFFERS = System.getProperty("bench.sharedBuffers", "1GB");
    /** The embedded server runs with fsync=off; "on" measures durable commits (empty = as started). */
    static final String FSYNC = System.getProperty("bench.fsync", "");
    /** Seconds to wait before the final ceiling, with everything loaded (e.g. for EXPLAIN in the database). */
    static final int PAUSE_SECONDS = Integer.getInteger("bench.pauseSeconds", 0);
    static final int ENTRIES_PER_STREAM = 10_000;
    static final int MEMBERS_PER_MESSAGE = 50_000;
    static final HexFormat HEX = HexFormat.of();

    static final List<String> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path log = Files.createTempFile("registry-bench", ".log");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startInTemporaryDirectory()) {
            PostgresDatabase database = postgres.createDatabaseNamed("registry");
            configure(postgres);
            Process service = startService(jar, database.environment(), log);
            EventLoopGroup loops = new NioEventLoopGroup(CLIENT_THREADS);
            List<ManagedChannel> channels = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                // directExecutor: replies are handled on the Netty threads, no hand-off to a thread pool.
                channels.add(NettyChannelBuilder.forAddress("localhost", GRPC_PORT).usePlaintext()
                        .eventLoopGroup(loops).channelType(NioSocketChannel.class).directExecutor()
                        .maxInboundMessageSize(8 << 20).build());
            }
            try {
                awaitServing(channels.getFirst(), service, log);
                run(channels, database);
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
                loops.shutdownGracefully();
                service.destroy();
                service.waitFor(30, TimeUnit.SECONDS);
            }
        }
        System.out.println();
        System.out.println("| measurement | result | target |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println("(service log: " + log + ")");
    }

    /** Applies bench.sharedBuffers and bench.fsync (read only at start: the server restarts with them). */
    static void configure(EmbeddedPostgresServer postgres) {
        if (!SHARED_BUFFERS.isBlank()) {
            System.out.println("PostgreSQL shared_buffers = " + postgres.restartWith("shared_buffers", SHARED_BUFFERS));
        }
        if (!FSYNC.isBlank()) {
            System.out.println("PostgreSQL fsync = " + postgres.restartWith("fsync", FSYNC));
        }
    }

    static boolean measures(String phase) {
        return !SKIP.contains(phase);
    }

    static Process startService(Path jar, Map<String, String> databaseEnvironment, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
        // Extra JVM options for the service, e.g. -Dbench.serviceJvmArgs=-XX:StartFlightRecording=filename=r.jfr
        String extra = System.getProperty("bench.serviceJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(databaseEnvironment);
        builder.environment().put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(GRPC_PORT));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(MANAGEMENT_PORT));
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return builder.start();
    }

    static void awaitServing(ManagedChannel channel, Process service, Path log) throws Exception {
        var health = HealthGrpc.newBlockingStub(channel);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("registry exited; see " + log);
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
        throw new IllegalStateException("registry not serving within 120 s; see " + log);
    }

    static void run(List<ManagedChannel> channels, PostgresDatabase database) throws Exception {
        ManagedChannel channel = channels.getFirst();
        var blocking = RegistryServiceGrpc.newBlockingStub(channel);
        var async = RegistryServiceGrpc.newStub(channel);
        // One future stub per channel; caller c uses channel c % CHANNELS.
        List<RegistryServiceGrpc.RegistryServiceFutureStub> registry = channels.stream()
                .map(RegistryServiceGrpc::newFutureStub).toList();
        List<HealthGrpc.HealthFutureStub> health = channels.stream().map(HealthGrpc::newFutureStub).toList();

        closedLoop("warm-up health", CALLERS, WARMUP_SECONDS,
                c -> health.get(c % CHANNELS).check(HealthCheckRequest.getDefaultInstance()), null);
        closedLoop("gRPC health check (ceiling), " + CALLERS + " callers", CALLERS, SECONDS,
                c -> health.get(c % CHANNELS).check(HealthCheckRequest.getDefaultInstance()), "ceiling");

        String[] creators = new String[16];
        for (int i = 0; i < creators.length; i++) {
            creators[i] = blocking.createContributor(CreateContributorRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setContributor(Contributor.newBuilder().setDisplayName("bench " + i)
                            .setExternalRef("bench-" + UUID.randomUUID()))
                    .build()).getContributor().getId();
        }

        if (measures("unary")) {
            closedLoop("warm-up RegisterAsset", CALLERS, WARMUP_SECONDS,
                    c -> registry.get(c % CHANNELS).registerAsset(register(item(creators))), null);
            closedLoop("RegisterAsset unary, " + CALLERS + " callers", CALLERS, SECONDS,
                    c -> registry.get(c % CHANNELS).registerAsset(register(item(creators))),
                    "≥ 3,000/s, p99 ≤ 25 ms");
        }

        // RegisterAssets: STREAM_ASSETS data items in streams of 10,000, STREAMS_IN_PARALLEL at a time.
        String[] itemShas = new String[STREAM_ASSETS];
        for (int i = 0; i < STREAM_ASSETS; i++) {
            itemShas[i] = randomSha();
        }
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < STREAMS_IN_PARALLEL; w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                long from;
                while ((from = next.getAndAdd(ENTRIES_PER_STREAM)) < STREAM_ASSETS) {
                    int to = (int) Math.min(STREAM_ASSETS, from + ENTRIES_PER_STREAM);
                    List<RegisterAssetsRequest> messages = new ArrayList<>(to - (int) from);
                    for (int i = (int) from; i < to; i++) {
                        messages.add(RegisterAssetsRequest.newBuilder().setAsset(register(
                                itemWith(itemShas[i], creators))).build());
                    }
                    RegisterAssetsResponse response = stream(async, messages);
                    if (response.getCreatedCount() != to - from) {
                        throw new IllegalStateException("stream created " + response.getCreatedCount());
                    }
                }
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        rows.add(String.format("| RegisterAssets streaming, %,d assets (%d streams of 10,000 in parallel) | %,.0f assets/s (%.1f s) | ≥ 20,000/s |",
                STREAM_ASSETS, STREAMS_IN_PARALLEL, STREAM_ASSETS / seconds, seconds));
        System.out.println(rows.getLast());

        String datasetId = measures("proofs") ? registerDataset(async, itemShas, creators) : null;
        vacuumAnalyze(database);
        if (datasetId != null) {
            proofs(registry, datasetId, itemShas);
        }
        if (measures("lookup") || measures("get")) {
            lookups(blocking, registry, itemShas);
        }
        if (measures("lineage")) {
            lineages(blocking, registry, creators);
        }
        if (PAUSE_SECONDS > 0) {
            System.out.println("pausing " + PAUSE_SECONDS + " s (bench.pauseSeconds): the database is up for inspection");
            Thread.sleep(PAUSE_SECONDS * 1000L);
        }
        // The ceiling again, with every code path warm: the machine's load may have changed meanwhile.
        closedLoop("gRPC health check (ceiling, at the end), " + CALLERS + " callers", CALLERS, SECONDS,
                c -> health.get(c % CHANNELS).check(HealthCheckRequest.getDefaultInstance()), "ceiling");
    }

    /**
     * VACUUM (ANALYZE) once the bulk load is in, as pgbench does before it measures: otherwise autovacuum's first
     * pass over the millions of new rows runs during the next measurements and takes a core from them.
     */
    static void vacuumAnalyze(PostgresDatabase database) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                database.password()); Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE)");
        }
        System.out.printf("VACUUM (ANALYZE) after the load: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Registers one dataset of all streamed items (chunks of 50,000 members); returns its id. */
    static String registerDataset(RegistryServiceGrpc.RegistryServiceStub async, String[] itemShas,
            String[] creators) throws Exception {
        byte[][] sorted = Arrays.stream(itemShas).map(HEX::parseHex).sorted(Arrays::compareUnsigned)
                .toArray(byte[][]::new);
        String root = HEX.formatHex(rfc9162Root(sorted));
        List<RegisterAssetsRequest> datasetMessages = new ArrayList<>();
        datasetMessages.add(RegisterAssetsRequest.newBuilder().setAsset(register(asset(AssetKind.ASSET_KIND_DATASET,
                root, creators[0]))).build());
        for (int from = 0; from < STREAM_ASSETS; from += MEMBERS_PER_MESSAGE) {
            datasetMessages.add(RegisterAssetsRequest.newBuilder().setDatasetMembers(
                    RegisterAssetsRequest.DatasetMembers.newBuilder().addAllSha256(
                            Arrays.asList(itemShas).subList(from, Math.min(STREAM_ASSETS, from + MEMBERS_PER_MESSAGE))))
                    .build());
        }
        long start = System.nanoTime();
        RegisterAssetsResponse dataset = stream(async, datasetMessages);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (dataset.getCreatedCount() != 1) {
            throw new IllegalStateException("dataset not registered: " + dataset);
        }
        rows.add(String.format("| %,d-item dataset registered (streamed, root checked) | %.1f s | ≤ 60 s |",
                STREAM_ASSETS, seconds));
        System.out.println(rows.getLast());
        return dataset.getResults(0).getRegistered().getAssetId();
    }

    /**
     * GetMembershipProof of random members of the dataset, with 1 and 8 callers, after a warm-up as every other
     * measurement has: the first proof of a dataset is answered from the database and reads its tree into memory.
     */
    static void proofs(List<RegistryServiceGrpc.RegistryServiceFutureStub> registry, String datasetId,
            String[] itemShas) throws Exception {
        closedLoop("warm-up GetMembershipProof", 8, WARMUP_SECONDS,
                c -> registry.get(c % CHANNELS).getMembershipProof(GetMembershipProofRequest.newBuilder()
                        .setDatasetAssetId(datasetId)
                        .setItemSha256(itemShas[ThreadLocalRandom.current().nextInt(STREAM_ASSETS)]).build()), null);
        for (int callers : new int[] {1, 8}) {
            closedLoop("GetMembershipProof (" + String.format("%,d", STREAM_ASSETS) + "-item dataset), " + callers
                    + " caller" + (callers == 1 ? "" : "s"), callers, SECONDS,
                    c -> registry.get(c % CHANNELS).getMembershipProof(GetMembershipProofRequest.newBuilder()
                            .setDatasetAssetId(datasetId)
                            .setItemSha256(itemShas[ThreadLocalRandom.current().nextInt(STREAM_ASSETS)]).build()),
                    "≤ 5 ms");
        }
    }

    /** LookupAsset by random hash among all streamed items, then GetAsset over 1,000 of them. */
    static void lookups(RegistryServiceGrpc.RegistryServiceBlockingStub blocking,
            List<RegistryServiceGrpc.RegistryServiceFutureStub> registry, String[] itemShas) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(blocking.lookupAsset(LookupAssetRequest.newBuilder()
                    .setSha256(itemShas[ThreadLocalRandom.current().nextInt(STREAM_ASSETS)]).build()).getAsset().getId());
        }
        if (measures("lookup")) {
            closedLoop("LookupAsset, " + CALLERS + " callers", CALLERS, SECONDS,
                    c -> registry.get(c % CHANNELS).lookupAsset(LookupAssetRequest.newBuilder()
                            .setSha256(itemShas[ThreadLocalRandom.current().nextInt(STREAM_ASSETS)]).build()),
                    "≥ 10,000/s, p99 ≤ 10 ms");
        }
        if (measures("get")) {
            closedLoop("GetAsset, " + CALLERS + " callers", CALLERS, SECONDS,
                    c -> registry.get(c % CHANNELS).getAsset(GetAssetRequest.newBuilder()
                            .setAssetId(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))).build()),
                    "≥ 10,000/s, p99 ≤ 10 ms");
        }
    }

    /** GetLineage with its reply kept as the bytes received (see lineages). */
    static final MethodDescriptor<GetLineageRequest, byte[]> GET_LINEAGE_AS_BYTES = RegistryServiceGrpc
            .getGetLineageMethod().toBuilder(ProtoUtils.marshaller(GetLineageRequest.getDefaultInstance()),
                    new MethodDescriptor.Marshaller<byte[]>() {
                        @Override
                        public InputStream stream(byte[] value) {
                            return new ByteArrayInputStream(value);
                        }

                        @Override
                        public byte[] parse(InputStream stream) {
                            try {
                                return stream.readAllBytes();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }).build();

    /**
     * GetLineage towards the ancestors of a 5-deep, 200-node lineage, with 1 and with bench.lineageCallers. The
     * first reply is parsed and checked (200 nodes); every measured reply must equal it byte for byte. Parsing
     * each 77 KB reply into objects on the harness's two network threads made the harness, not the service, the
     * larger part of the measured time (1.3 cores against the service's 0.7 at 16 callers).
     */
    static void lineages(RegistryServiceGrpc.RegistryServiceBlockingStub blocking,
            List<RegistryServiceGrpc.RegistryServiceFutureStub> registry, String[] creators) throws Exception {
        GetLineageRequest request = GetLineageRequest.newBuilder().setAssetId(lineage(blocking, creators))
                .setDirection(LineageDirection.LINEAGE_DIRECTION_ANCESTORS).setMaxDepth(5).build();
        byte[] expected = ClientCalls.blockingUnaryCall(blocking.getChannel(), GET_LINEAGE_AS_BYTES,
                CallOptions.DEFAULT, request);
        int nodes = GetLineageResponse.parseFrom(expected).getNodesCount();
        if (nodes != 200) {
            throw new IllegalStateException("lineage has " + nodes + " nodes");
        }
        System.out.printf("GetLineage answer: %,d bytes%n", expected.length);
        for (int callers : new int[] {1, LINEAGE_CALLERS}) {
            closedLoop("GetLineage ancestors, 5 deep, 200 nodes, " + callers + " caller" + (callers == 1 ? "" : "s"),
                    callers, SECONDS, c -> Futures.transform(ClientCalls.futureUnaryCall(registry.get(c % CHANNELS)
                            .getChannel().newCall(GET_LINEAGE_AS_BYTES, CallOptions.DEFAULT), request),
                            reply -> {
                                if (!Arrays.equals(reply, expected)) {
                                    throw new IllegalStateException("a lineage reply differs from the first");
                                }
                                return reply;
                            }, MoreExecutors.directExecutor()), "p99 ≤ 10 ms");
        }
    }

    /** 1 model ← 3 ← 9 ← 27 ← 81 models (FINETUNED_FROM), and 79 data items TRAINED_ON at depth 5: 200 nodes. */
    static String lineage(RegistryServiceGrpc.RegistryServiceBlockingStub registry, String[] creators) {
        List<String> level = new ArrayList<>();
        for (int i = 0; i < 79; i++) {
            level.add(registry.registerAsset(register(item(creators))).getAsset().getId());
        }
        List<String> models = new ArrayList<>();
        for (int i = 0; i < 81; i++) {
            Asset.Builder model = asset(AssetKind.ASSET_KIND_MODEL, randomSha(), creators[i % creators.length]);
            if (i < 79) {
                model.addParents(AssetParent.newBuilder().setParentAssetId(level.get(i))
                        .setEdgeType(EdgeType.EDGE_TYPE_TRAINED_ON));
            }
            models.add(registry.registerAsset(register(model)).getAsset().getId());
        }
        while (models.size() > 1) {
            List<String> up = new ArrayList<>();
            for (int i = 0; i < models.size(); i += 3) {
                Asset.Builder model = asset(AssetKind.ASSET_KIND_MODEL, randomSha(), creators[i % creators.length]);
                for (int j = i; j < i + 3; j++) {
                    model.addParents(AssetParent.newBuilder().setParentAssetId(models.get(j))
                            .setEdgeType(EdgeType.EDGE_TYPE_FINETUNED_FROM));
                }
                up.add(registry.registerAsset(register(model)).getAsset().getId());
            }
            models = up;
        }
        return models.getFirst();
    }

    static RegisterAssetsResponse stream(RegistryServiceGrpc.RegistryServiceStub async,
            List<RegisterAssetsRequest> messages) {
        CompletableFuture<RegisterAssetsResponse> result = new CompletableFuture<>();
        StreamObserver<RegisterAssetsRequest> requests = async.registerAssets(new StreamObserver<>() {
            @Override
            public void onNext(RegisterAssetsResponse value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        messages.forEach(requests::onNext);
        requests.onCompleted();
        return result.join();
    }

    /**
     * Runs {@code callers} closed-loop callers for {@code seconds}: each caller has one call outstanding and
     * sends the next as soon as the reply arrives (asynchronous stubs: no thread per caller). Records the rate
     * and latency percentiles; {@code call} gets the caller's number.
     */
    static void closedLoop(String name, int callers, int seconds, IntFunction<ListenableFuture<?>> call,
            String target) throws Exception {
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
        double rate = all.length / elapsed;
        String row = String.format("| %s | %,.0f calls/s; p50 %.2f ms, p99 %.2f ms%s | %s |", name, rate,
                percentile(all, 0.50), percentile(all, 0.99), errors.get() == 0 ? "" : "; " + errors.get() + " errors",
                target == null ? "" : target);
        System.out.println(row);
        if (target != null) {
            rows.add(row);
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

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    static RegisterAssetRequest register(Asset.Builder asset) {
        return RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setAsset(asset).build();
    }

    static Asset.Builder item(String[] creators) {
        return itemWith(randomSha(), creators);
    }

    static Asset.Builder itemWith(String sha, String[] creators) {
        return asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, creators[ThreadLocalRandom.current().nextInt(creators.length)]);
    }

    static Asset.Builder asset(AssetKind kind, String sha, String creator) {
        return Asset.newBuilder().setKind(kind).setSha256(sha).setSizeBytes(1024).setMediaType("text/plain")
                .setLicense("CC-BY-4.0")
                .addCreators(CreatorShare.newBuilder().setContributorId(creator).setSharePpm(1_000_000));
    }

    static String randomSha() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** RFC 9162 root over sorted leaf data, iteratively (left-to-right pairing of perfect subtrees). */
    static byte[] rfc9162Root(byte[][] leaves) throws Exception {
        return root(leaves, 0, leaves.length);
    }

    static byte[] root(byte[][] leaves, int from, int to) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        if (to - from == 1) {
            digest.update((byte) 0);
            return digest.digest(leaves[from]);
        }
        int k = Integer.highestOneBit(to - from - 1);
        byte[] left = root(leaves, from, from + k);
        byte[] right = root(leaves, from + k, to);
        digest.update((byte) 1);
        digest.update(left);
        return digest.digest(right);
    }
}
