package io.tribute.payout.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tribute.common.v1.Money;
import io.tribute.payout.chain.LocalChain;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.PayoutServiceGrpc;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceFutureStub;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementState;
import io.tribute.testing.AnvilServer;
import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import io.tribute.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * payout-service end to end under load, run by bench/payout/run: its own jar as a process (configured by
 * environment, as in Kubernetes) on an embedded PostgreSQL and anvil with 1 s blocks, its peers served by
 * {@link FixedPeers}. Measures the gRPC health rate (the ceiling), RecordRevenue with 20 shares (closed loop,
 * many callers), then one settlement paying every contributor on-chain, timed from CreateSettlement to SETTLED, and
 * checks every recipient's token balance against the ledger.
 *
 * <p>The rates come from asynchronous callers (each has one call outstanding and sends the next from the reply's
 * callback) over a few connections served by two Netty threads, so the load generator costs little of the machine
 * it shares with the service; a thread per blocked caller cost about as much CPU per call as the service itself.
 *
 * <p>System properties: {@code bench.contributors} (10,000), {@code bench.seconds} (10), {@code bench.callers}
 * (32), {@code bench.warmupSeconds} (10: the service's JIT compiles RecordRevenue's path before it is timed),
 * {@code bench.channels} (4), {@code bench.clientThreads} (2), {@code bench.confirmations} (2).
 */
public final class SettlementBenchmark {

    private static final Path JAR = Path.of("payout-service/target/quarkus-app/quarkus-run.jar");
    private static final String REVENUE_PER_CALL = "1000000";
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(10);

    private SettlementBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int contributors = Integer.getInteger("bench.contributors", 10_000);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 10);
        int callers = Integer.getInteger("bench.callers", 32);
        int channelCount = Integer.getInteger("bench.channels", 4);
        int clientThreads = Integer.getInteger("bench.clientThreads", 2);
        int confirmations = Integer.getInteger("bench.confirmations", 2);
        boolean recordOnly = Boolean.getBoolean("bench.recordOnly");
        Path logs = Files.createDirectories(Path.of("payout-service/target/bench-logs"));

        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startInTemporaryDirectory();
        // The embedded server runs with fsync=off; -Dbench.fsync=on measures durable commits.
        String fsync = System.getProperty("bench.fsync", "");
        if (!fsync.isBlank()) {
            System.out.println("PostgreSQL fsync = " + postgres.restartWith("fsync", fsync));
        }
        LocalChain chain = LocalChain.start("--block-time", "1");
        FixedPeers peers = FixedPeers.start(contributors);
        ServiceProcess payout = null;
        EventLoopGroup loops = new NioEventLoopGroup(clientThreads);
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            int grpcPort = freePort();
            int managementPort = freePort();
            Map<String, String> environment = environment(postgres.createDatabase("payout"), grpcPort,
                    managementPort, peers.port(), chain, confirmations);
            payout = ServiceProcess.start("payout-service", managementPort, JAR.toAbsolutePath(), logs, environment);
            payout.awaitReady(Duration.ofMinutes(3));
            for (int c = 0; c < channelCount; c++) {
                // directExecutor: replies are handled on the Netty threads, no hand-off to a thread pool.
                channels.add(NettyChannelBuilder.forAddress("localhost", grpcPort).usePlaintext()
                        .eventLoopGroup(loops).channelType(NioSocketChannel.class).directExecutor().build());
            }
            PayoutServiceBlockingStub service = PayoutServiceGrpc.newBlockingStub(channels.getFirst());
            List<PayoutServiceFutureStub> services = channels.stream().map(PayoutServiceGrpc::newFutureStub).toList();
            List<HealthGrpc.HealthFutureStub> health = channels.stream().map(HealthGrpc::newFutureStub).toList();
            String currency = chain.tokenCurrency();
            int attributions = peers.attributions();

            System.out.printf("payout-service benchmark: %d contributors, %d callers on %d connections, %d s per rate,"
                    + " %d cores%n", contributors, callers, channelCount, seconds,
                    Runtime.getRuntime().availableProcessors());
            closedLoop("warm-up (RecordRevenue, not counted)", callers, warmupSeconds,
                    caller -> record(services.get(caller % channelCount), currency, attributions));
            closedLoop("gRPC health check (ceiling)", callers, seconds,
                    caller -> health.get(caller % channelCount).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()));
            closedLoop("RecordRevenue, 20 shares", callers, seconds,
                    caller -> record(services.get(caller % channelCount), currency, attributions));
            if (recordOnly) {
                return;
            }
            // Every contributor accrues at least once before the settlement.
            AtomicInteger next = new AtomicInteger();
            runAll(callers, peers.attributions(), next, index -> record(service, currency, index));

            long started = System.nanoTime();
            Settlement planned = service.withDeadlineAfter(2, TimeUnit.MINUTES).createSettlement(
                    CreateSettlementRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                            .setCurrency(currency).setMinimumAmount("1").build()).getSettlement();
            long plannedAt = System.nanoTime();
            Settlement settled = awaitSettled(service, planned.getId());
            long settledAt = System.nanoTime();

            long gas = settled.getBatchesList().stream().mapToLong(Batch::getGasUsed).sum();
            long firstBlock = settled.getBatchesList().stream().mapToLong(Batch::getBlockNumber).min().orElse(0);
            long lastBlock = settled.getBatchesList().stream().mapToLong(Batch::getBlockNumber).max().orElse(0);
            System.out.printf("settlement: %d recipients in %d batches; planned in %.1f s, SETTLED after %.1f s "
                            + "(%d confirmations, blocks %d..%d, %,d gas, %,d gas/recipient)%n",
                    settled.getRecipientCount(), settled.getBatchCount(), (plannedAt - started) / 1e9,
                    (settledAt - started) / 1e9, confirmations, firstBlock, lastBlock, gas,
                    gas / Math.max(1, settled.getRecipientCount()));
            verifyBalances(service, chain, currency, contributors);
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            loops.shutdownGracefully();
            if (payout != null) {
                payout.stop(Duration.ofSeconds(20));
            }
            peers.close();
            chain.close();
            postgres.close();
        }
    }

    private static void record(PayoutServiceBlockingStub service, String currency, int attribution) {
        service.withDeadlineAfter(30, TimeUnit.SECONDS).recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAttributionId(FixedPeers.attributionId(attribution).toString())
                .setAmount(Money.newBuilder().setAsset(currency).setAmount(REVENUE_PER_CALL))
                .build());
    }

    /** RecordRevenue of 1,000,000 base units to a random attribution of the fixed peers, asynchronously. */
    private static ListenableFuture<?> record(PayoutServiceFutureStub service, String currency, int attributions) {
        return service.withDeadlineAfter(30, TimeUnit.SECONDS).recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAttributionId(FixedPeers.attributionId(ThreadLocalRandom.current().nextInt(attributions))
                        .toString())
                .setAmount(Money.newBuilder().setAsset(currency).setAmount(REVENUE_PER_CALL))
                .build());
    }

    /**
     * Runs {@code callers} closed-loop callers for {@code seconds}: each has one call outstanding and sends the next
     * when the reply arrives; prints the rate, the latencies and the failed calls. {@code call} gets the caller's
     * number.
     */
    private static void closedLoop(String name, int callers, int seconds, IntFunction<ListenableFuture<?>> call)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            long[] mine = new long[500_000];
            latencies[c] = mine;
            int caller = c;
            new Object() {
                void next() {
                    if (System.nanoTime() >= end || counts[caller] == mine.length) {
                        done.countDown();
                        return;
                    }
                    long sent = System.nanoTime();
                    Futures.addCallback(call.apply(caller), new FutureCallback<Object>() {
                        @Override
                        public void onSuccess(Object reply) {
                            mine[counts[caller]++] = System.nanoTime() - sent;
                            next();
                        }

                        @Override
                        public void onFailure(Throwable failure) {
                            if (failures.incrementAndGet() == 1) {
                                System.err.println(name + ": " + failure);
                            }
                            next();
                        }
                    }, MoreExecutors.directExecutor());
                }
            }.next();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int caller = 0; caller < callers; caller++) {
            System.arraycopy(latencies[caller], 0, all, at, counts[caller]);
            at += counts[caller];
        }
        Arrays.sort(all);
        System.out.printf("%-38s %,9.0f calls/s  p50 %6.2f ms  p99 %6.2f ms  (%,d calls%s)%n", name,
                all.length / elapsed, percentile(all, 0.50), percentile(all, 0.99), all.length,
                failures.get() == 0 ? "" : ", " + failures.get() + " FAILED");
    }

    private static void runAll(int callers, int count, AtomicInteger next, IntConsumer call)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int caller = 0; caller < callers; caller++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int index = next.getAndIncrement(); index < count; index = next.getAndIncrement()) {
                    call.accept(index);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static Settlement awaitSettled(PayoutServiceBlockingStub service, String id) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            Settlement settlement = service.withDeadlineAfter(30, TimeUnit.SECONDS).getSettlement(
                    GetSettlementRequest.newBuilder().setSettlementId(id).build()).getSettlement();
            if (settlement.getState() == SettlementState.SETTLEMENT_STATE_SETTLED) {
                return settlement;
            }
            if (settlement.getState() == SettlementState.SETTLEMENT_STATE_FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("settlement did not settle: " + settlement);
            }
            Thread.sleep(100);
        }
    }

    /** Every contributor's token balance on the chain must equal what the ledger says it was paid. */
    private static void verifyBalances(PayoutServiceBlockingStub service, LocalChain chain, String currency,
            int contributors) {
        BigInteger total = BigInteger.ZERO;
        for (int index = 0; index < contributors; index++) {
            String id = FixedPeers.contributorId(index).toString();
            BigInteger onChain = chain.payer.tokenBalance(chain.token, FixedPeers.walletOf(id));
            String paid = service.withDeadlineAfter(30, TimeUnit.SECONDS).getBalance(GetBalanceRequest.newBuilder()
                    .setContributorId(id).setCurrency(currency).build()).getBalances(0).getPaid();
            if (onChain.signum() == 0 || !onChain.equals(new BigInteger(paid))) {
                throw new IllegalStateException("contributor " + id + ": chain " + onChain + ", ledger paid " + paid);
            }
            total = total.add(onChain);
        }
        System.out.printf("verified: all %,d recipients' token balances equal the ledger's paid amounts (total %s)%n",
                contributors, total);
    }

    private static Map<String, String> environment(PostgresDatabase database, int grpcPort, int managementPort,
            int peersPort, LocalChain chain, int confirmations) {
        Map<String, String> environment = new HashMap<>(database.environment());
        environment.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPort));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        for (String peer : List.of("REGISTRY", "ATTRIBUTION")) {
            environment.put("QUARKUS_GRPC_CLIENTS_" + peer + "_HOST", "localhost");
            environment.put("QUARKUS_GRPC_CLIENTS_" + peer + "_PORT", Integer.toString(peersPort));
        }
        environment.put("TRIBUTE_PAYOUT_CURRENCIES", "eip155:31337/slip44:60," + chain.tokenCurrency());
        environment.put("TRIBUTE_PAYOUT_CHAIN_RPC_URL", chain.anvil.rpcUrl());
        environment.put("TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEY", AnvilServer.DEFAULT_PRIVATE_KEY);
        environment.put("TRIBUTE_PAYOUT_CONTRACT_ADDRESS", chain.payouts);
        environment.put("TRIBUTE_PAYOUT_CONFIRMATIONS", Integer.toString(confirmations));
        environment.put("TRIBUTE_PAYOUT_SETTLER_INTERVAL", "200ms");
        return environment;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
