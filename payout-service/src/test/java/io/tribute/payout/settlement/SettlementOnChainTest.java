package io.tribute.payout.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.v1.Money;
import io.tribute.payout.chain.LocalChain;
import io.tribute.payout.chain.LocalChainResource;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.client.FakeAttributionClient;
import io.tribute.payout.client.FakeRegistryClient;
import io.tribute.payout.service.Settler;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.DifferenceType;
import io.tribute.payout.v1.ListSettlementsRequest;
import io.tribute.payout.v1.ListSettlementsResponse;
import io.tribute.payout.v1.MutinyPayoutServiceGrpc.MutinyPayoutServiceStub;
import io.tribute.payout.v1.ReconcileRequest;
import io.tribute.payout.v1.ReconcileResponse;
import io.tribute.payout.v1.SettlementEventType;
import io.tribute.payout.v1.WatchSettlementRequest;
import io.tribute.payout.v1.WatchSettlementResponse;
import io.tribute.payout.v1.BatchState;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementState;
import io.tribute.payout.v1.SkipReason;
import io.tribute.testing.PostgresResource;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Settlements paid on a real anvil through the deployed TributePayouts, with the real PostgreSQL ledger; balances
 * are read back from the chain. Payout accounts and attributions come from the fakes of the RegistryClient and
 * AttributionClient seams (the peers' RPCs are being built in parallel). The test drives the Settler by hand.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(LocalChainResource.class)
class SettlementOnChainTest {

    private static final String ETH = "eip155:31337/slip44:60";
    private static final SecureRandom RANDOM = new SecureRandom();

    @GrpcClient("payout")
    PayoutServiceBlockingStub payout;

    @Inject
    Settler settler;

    @Test
    void tokenSettlementPaysTheRightAmountsToTheRightAddressesAndSkipsContributorsWithoutWallets() {
        LocalChain chain = LocalChainResource.chain();
        String currency = chain.tokenCurrency();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID walletless = UUID.randomUUID();
        String aliceWallet = bind(alice);
        String bobWallet = bind(bob);
        record(currency, "1000000000000000000", Map.of(alice, 500_000L, bob, 300_000L, walletless, 200_000L));

        Settlement planned = settle(currency);

        assertThat(planned.getState()).isEqualTo(SettlementState.SETTLEMENT_STATE_PLANNED);
        assertThat(planned.getRecipientCount()).isEqualTo(2);
        assertThat(planned.getSkippedContributorCount()).isEqualTo(1);
        assertThat(planned.getCheckpoint().getRootHash()).isEqualTo(FakeAttributionClient.CHECKPOINT.rootHash());
        assertThat(balance(alice, currency).getInSettlement()).isEqualTo("487500000000000000");

        Settlement settled = runUntilSettled(planned.getId());

        // 2.5% fee: 975,000,000,000,000,000 split 50/30/20.
        assertThat(chain.payer.tokenBalance(chain.token, aliceWallet)).isEqualTo(new BigInteger("487500000000000000"));
        assertThat(chain.payer.tokenBalance(chain.token, bobWallet)).isEqualTo(new BigInteger("292500000000000000"));
        assertThat(settled.getPaidAmount()).isEqualTo("780000000000000000");
        assertThat(balance(alice, currency).getPaid()).isEqualTo("487500000000000000");
        assertThat(balance(alice, currency).getAccrued()).isEqualTo("0");
        assertThat(balance(alice, currency).getInSettlement()).isEqualTo("0");
        assertThat(balance(walletless, currency).getAccrued()).isEqualTo("195000000000000000");
        assertThat(settled.getSkippedContributorsList()).singleElement().satisfies(skipped -> {
            assertThat(skipped.getContributorId()).isEqualTo(walletless.toString());
            assertThat(skipped.getReason()).isEqualTo(SkipReason.SKIP_REASON_NO_WALLET);
        });
        Batch batch = settled.getBatches(0);
        assertThat(batch.getCheckpointRoot()).isEqualTo("0x" + FakeAttributionClient.CHECKPOINT.rootHash());
        assertThat(chain.payer.checkpointRootOf(chain.payouts, batch.getBatchId())).isEqualTo(batch.getCheckpointRoot());
        assertThat(batch.getConfirmations()).isGreaterThanOrEqualTo(LocalChainResource.CONFIRMATIONS);
        assertThat(batch.getRecipientsList()).extracting(recipient -> recipient.getPayoutAccount())
                .containsExactlyInAnyOrder("eip155:31337:" + aliceWallet, "eip155:31337:" + bobWallet);
    }

    @Test
    void batchesAreSizedByGasEstimatesUnderTheCapAndRepeatRecipientsFitMoreThanFirstTimeOnes() {
        LocalChain chain = LocalChainResource.chain();
        String currency = chain.tokenCurrency();
        Map<UUID, Long> shares = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            UUID contributor = UUID.randomUUID();
            bind(contributor);
            shares.put(contributor, 1_000L);
        }
        long budget = 16_777_216L * 900_000 / 1_000_000;
        int constantBatch = (int) ((budget - 100_000) / 40_000);

        record(currency, "1000000000000000000", shares);
        Settlement firstTime = runUntilSettled(settle(currency, 2_000).getId());
        record(currency, "1000000000000000000", shares);
        Settlement repeat = runUntilSettled(settle(currency, 2_000).getId());

        assertThat(firstTime.getRecipientCount()).isGreaterThanOrEqualTo(1_000);
        assertThat(firstTime.getBatchesList()).allSatisfy(batch -> assertThat(batch.getGasUsed()).isBetween(1L, budget));
        assertThat(repeat.getBatchesList()).allSatisfy(batch -> assertThat(batch.getGasUsed()).isBetween(1L, budget));
        int firstTimeLargest = firstTime.getBatchesList().stream().mapToInt(Batch::getRecipientCount).max().orElseThrow();
        int repeatLargest = repeat.getBatchesList().stream().mapToInt(Batch::getRecipientCount).max().orElseThrow();
        // ~26,900 gas per first-time ERC-20 holder, ~9,800 per repeat one: the constant (40,000) allowed far fewer.
        assertThat(firstTimeLargest).isGreaterThan(constantBatch);
        assertThat(repeatLargest).isGreaterThan(firstTimeLargest);
        assertThat(firstTime.getBatchCount()).isGreaterThan(repeat.getBatchCount());
    }

    @Test
    void recipientRejectingEtherIsCreditedAndCountsAsPaid() {
        LocalChain chain = LocalChainResource.chain();
        UUID contract = UUID.randomUUID();
        UUID plain = UUID.randomUUID();
        String rejecting = LocalChain.deploy(chain.payer, "RejectingRecipient", List.of());
        FakeRegistryClient.bind(contract, "eip155:31337:" + rejecting);
        String plainWallet = bind(plain);
        record(ETH, "2000", Map.of(contract, 500_000L, plain, 500_000L));

        Settlement settled = runUntilSettled(settle(ETH).getId());

        assertThat(chain.payer.creditOf(chain.payouts, rejecting)).isEqualTo(975);
        assertThat(chain.payer.nativeBalance(rejecting)).isZero();
        assertThat(chain.payer.nativeBalance(plainWallet)).isEqualTo(975);
        assertThat(settled.getBatches(0).getCreditedRecipientCount()).isEqualTo(1);
        assertThat(balance(contract, ETH).getPaid()).isEqualTo("975");
    }

    @Test
    void storedButNotBroadcastTransactionIsBroadcastOnceAfterRestart() {
        LocalChain chain = LocalChainResource.chain();
        UUID carol = UUID.randomUUID();
        String wallet = bind(carol);
        record(ETH, "1000", Map.of(carol, 1_000_000L));
        Settlement planned = settle(ETH);

        // The settler signs and stores the transaction, then "dies" before broadcasting it.
        settler.signPlanned();
        Batch signed = describe(planned.getId()).getBatches(0);
        assertThat(signed.getState()).isEqualTo(BatchState.BATCH_STATE_SIGNED);
        assertThat(signed.getTxHash()).startsWith("0x").hasSize(66);
        assertThat(chain.payer.receipt(signed.getTxHash())).isEmpty();
        assertThat(chain.payer.nativeBalance(wallet)).isZero();

        // After the restart, the stored bytes are broadcast: same hash, same nonce, paid exactly once.
        Settlement settled = runUntilSettled(planned.getId());
        assertThat(settled.getBatches(0).getTxHash()).isEqualTo(signed.getTxHash());
        assertThat(settled.getBatches(0).getNonce()).isEqualTo(signed.getNonce());
        assertThat(chain.payer.nativeBalance(wallet)).isEqualTo(975);
        settler.runOnce();
        chain.anvil.mine(1);
        assertThat(chain.payer.nativeBalance(wallet)).isEqualTo(975);
        assertThat(balance(carol, ETH).getPaid()).isEqualTo("975");
    }

    @Test
    void reorgRemovingASettledBatchReturnsItToPendingAndItIsPaidOnce() {
        LocalChain chain = LocalChainResource.chain();
        UUID dave = UUID.randomUUID();
        String wallet = bind(dave);
        record(ETH, "4000", Map.of(dave, 1_000_000L));
        Settlement settled = runUntilSettled(settle(ETH).getId());
        long included = settled.getBatches(0).getBlockNumber();
        assertThat(balance(dave, ETH).getPaid()).isEqualTo("3900");

        chain.anvil.reorg((int) (chain.anvil.blockNumber() - included + 1));
        settler.follow();

        Settlement reorged = describe(settled.getId());
        assertThat(reorged.getBatches(0).getState()).isEqualTo(BatchState.BATCH_STATE_SIGNED);
        assertThat(reorged.getState()).isNotEqualTo(SettlementState.SETTLEMENT_STATE_SETTLED);
        assertThat(balance(dave, ETH).getPaid()).isEqualTo("0");
        assertThat(balance(dave, ETH).getInSettlement()).isEqualTo("3900");

        runUntilSettled(settled.getId());
        assertThat(chain.payer.nativeBalance(wallet)).isEqualTo(3900);
        assertThat(balance(dave, ETH).getPaid()).isEqualTo("3900");
    }

    @Test
    void stuckTransactionIsReplacedWithTheSameNonceAndAFeeBumpAndPaysOnce() {
        LocalChain chain = LocalChainResource.chain();
        UUID erin = UUID.randomUUID();
        String wallet = bind(erin);
        record(ETH, "8000", Map.of(erin, 1_000_000L));
        Settlement planned = settle(ETH);
        chain.anvil.setAutomine(false);
        try {
            settler.runOnce();
            Batch stuck = describe(planned.getId()).getBatches(0);
            assertThat(stuck.getState()).isEqualTo(BatchState.BATCH_STATE_BROADCAST);

            settler.replace(stuck.getBatchId());

            Batch replaced = describe(planned.getId()).getBatches(0);
            assertThat(replaced.getTxHash()).isNotEqualTo(stuck.getTxHash());
            assertThat(replaced.getNonce()).isEqualTo(stuck.getNonce());
            assertThat(replaced.getReplacedTxHashesList()).containsExactly(stuck.getTxHash());
            BigInteger bumped = new BigInteger(stuck.getMaxFeePerGas()).multiply(BigInteger.valueOf(1_125_000))
                    .divide(BigInteger.valueOf(1_000_000));
            assertThat(new BigInteger(replaced.getMaxFeePerGas())).isGreaterThanOrEqualTo(bumped);
            assertThat(new BigInteger(replaced.getMaxPriorityFeePerGas())).isGreaterThanOrEqualTo(
                    new BigInteger(stuck.getMaxPriorityFeePerGas()).multiply(BigInteger.valueOf(1_125_000))
                            .divide(BigInteger.valueOf(1_000_000)));
        } finally {
            chain.anvil.setAutomine(true);
        }
        Settlement settled = runUntilSettled(planned.getId());
        assertThat(chain.payer.nativeBalance(wallet)).isEqualTo(7800);
        assertThat(settled.getBatches(0).getTxHash()).isEqualTo(describe(planned.getId()).getBatches(0).getTxHash());
    }

    @Test
    void batchWithoutReceiptPastTheTimeoutIsUnknownUntilTheChainAnswers() throws InterruptedException {
        LocalChain chain = LocalChainResource.chain();
        UUID frank = UUID.randomUUID();
        String wallet = bind(frank);
        record(ETH, "16000", Map.of(frank, 1_000_000L));
        Settlement planned = settle(ETH);
        chain.anvil.setAutomine(false);
        Batch broadcast;
        try {
            settler.runOnce();
            broadcast = describe(planned.getId()).getBatches(0);
            Thread.sleep(LocalChainResource.RECEIPT_TIMEOUT.toMillis() + 500);
            settler.runOnce();

            Settlement unknown = describe(planned.getId());
            assertThat(unknown.getState()).isEqualTo(SettlementState.SETTLEMENT_STATE_UNKNOWN);
            assertThat(unknown.getBatches(0).getState()).isEqualTo(BatchState.BATCH_STATE_UNKNOWN);
            assertThat(unknown.getBatches(0).getFailureDetail()).contains("receipt");
        } finally {
            chain.anvil.setAutomine(true);
        }
        chain.anvil.mine(1);

        Settlement settled = runUntilSettled(planned.getId());
        assertThat(settled.getBatches(0).getBatchId()).isEqualTo(broadcast.getBatchId());
        assertThat(settled.getBatches(0).getTxHash()).isEqualTo(broadcast.getTxHash());
        assertThat(chain.payer.nativeBalance(wallet)).isEqualTo(15600);
    }

    @Test
    void onlyOneSettlerPerSigningKeyRunsAtATime() throws Exception {
        LocalChain chain = LocalChainResource.chain();
        UUID grace = UUID.randomUUID();
        bind(grace);
        record(ETH, "500", Map.of(grace, 1_000_000L));
        Settlement planned = settle(ETH);

        try (java.sql.Connection otherReplica = java.sql.DriverManager.getConnection(jdbcUrl, jdbcUser,
                jdbcPassword);
                var statement = otherReplica.prepareStatement("SELECT pg_advisory_lock(?)")) {
            statement.setLong(1, Settler.advisoryLockKey(chain.payer.payerAddress()));
            statement.execute();

            assertThat(settler.runOnce()).isFalse();
            assertThat(describe(planned.getId()).getBatches(0).getState()).isEqualTo(BatchState.BATCH_STATE_PLANNED);
        }
        runUntilSettled(planned.getId());
    }

    @Test
    void watchStreamsASnapshotThenEachChangeUntilSettled() throws Exception {
        UUID heidi = UUID.randomUUID();
        bind(heidi);
        record(ETH, "700", Map.of(heidi, 1_000_000L));
        Settlement planned = settle(ETH);
        var watched = streaming.watchSettlement(WatchSettlementRequest.newBuilder()
                .setSettlementId(planned.getId()).build()).collect().asList().subscribeAsCompletionStage();

        Thread.sleep(500);
        runUntilSettled(planned.getId());
        List<WatchSettlementResponse> events = watched.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(events.get(0).getEvent().getType()).isEqualTo(SettlementEventType.SETTLEMENT_EVENT_TYPE_SNAPSHOT);
        assertThat(events.get(0).getEvent().getSettlementState()).isEqualTo(SettlementState.SETTLEMENT_STATE_PLANNED);
        assertThat(events).extracting(event -> event.getEvent().getSequence())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, events.size()).boxed().toList());
        assertThat(events.get(events.size() - 1).getSettlement().getState())
                .isEqualTo(SettlementState.SETTLEMENT_STATE_SETTLED);
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getEvent().getType()).isEqualTo(SettlementEventType.SETTLEMENT_EVENT_TYPE_BATCH_STATE_CHANGED);
            assertThat(event.getEvent().getBatchState()).isEqualTo(BatchState.BATCH_STATE_SETTLED);
        });
    }

    @Test
    void settlementsAreListedNewestFirstPageByPage() {
        for (int i = 0; i < 3; i++) {
            UUID ivan = UUID.randomUUID();
            bind(ivan);
            record(ETH, "300", Map.of(ivan, 1_000_000L));
            runUntilSettled(settle(ETH).getId());
        }
        List<String> ids = new java.util.ArrayList<>();
        String token = "";
        do {
            ListSettlementsResponse page = payout.listSettlements(ListSettlementsRequest.newBuilder().setCurrency(ETH)
                    .addStates(SettlementState.SETTLEMENT_STATE_SETTLED).setPageSize(2).setPageToken(token).build());
            page.getSettlementsList().forEach(settlement -> ids.add(settlement.getId()));
            assertThat(page.getSettlementsList()).allSatisfy(settlement -> assertThat(settlement.getBatchesCount()).isZero());
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(ids).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void reconcileMatchesSettledBatchesAndReportsABatchPaidOutsideTheLedger() {
        LocalChain chain = LocalChainResource.chain();
        UUID judy = UUID.randomUUID();
        bind(judy);
        record(ETH, "900", Map.of(judy, 1_000_000L));
        Settlement settled = runUntilSettled(settle(ETH).getId());

        ReconcileResponse clean = payout.reconcile(ReconcileRequest.newBuilder()
                .setSettlementId(settled.getId()).build());
        assertThat(clean.getConsistent()).isTrue();
        assertThat(clean.getMatchedCount()).isEqualTo(1);

        String foreignBatch = "0x" + HexFormat.of().formatHex(new byte[32]).replace('0', 'e');
        var foreign = new io.tribute.payout.chain.PaymentBatch(foreignBatch, "0x" + "0".repeat(64), null,
                List.of("0x" + "1".repeat(40)), List.of(BigInteger.ONE));
        LocalChain.mined(chain.payer, chain.payer.signPayment(chain.payouts, foreign, chain.payer.pendingNonce(),
                chain.payer.estimatePayment(chain.payouts, foreign), chain.payer.currentFees()));

        ReconcileResponse report = payout.reconcile(ReconcileRequest.getDefaultInstance());
        assertThat(report.getConsistent()).isFalse();
        assertThat(report.getDifferencesList()).singleElement().satisfies(difference -> {
            assertThat(difference.getType()).isEqualTo(DifferenceType.DIFFERENCE_TYPE_MISSING_IN_LEDGER);
            assertThat(difference.getBatchId()).isEqualTo(foreignBatch);
        });
    }

    @GrpcClient("payout")
    MutinyPayoutServiceStub streaming;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String jdbcUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String jdbcPassword;

    private Settlement runUntilSettled(String settlementId) {
        LocalChain chain = LocalChainResource.chain();
        for (int pass = 0; pass < 20; pass++) {
            settler.runOnce();
            Settlement settlement = describe(settlementId);
            if (settlement.getState() == SettlementState.SETTLEMENT_STATE_SETTLED) {
                return settlement;
            }
            chain.anvil.mine(1);
        }
        throw new AssertionError("not settled: " + describe(settlementId));
    }

    private Settlement settle(String currency) {
        return settle(currency, 0);
    }

    private Settlement settle(String currency, int maxRecipientsPerBatch) {
        return payout.createSettlement(CreateSettlementRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setCurrency(currency)
                .setMinimumAmount("1")
                .setMaxRecipientsPerBatch(maxRecipientsPerBatch)
                .build()).getSettlement();
    }

    private Settlement describe(String settlementId) {
        return payout.getSettlement(GetSettlementRequest.newBuilder().setSettlementId(settlementId)
                .setIncludeRecipients(true).build()).getSettlement();
    }

    private void record(String currency, String amount, Map<UUID, Long> shares) {
        Map<String, Long> byId = new HashMap<>();
        shares.forEach((contributor, ppm) -> byId.put(contributor.toString(), ppm));
        AttributedShares attribution = FakeAttributionClient.register(byId);
        payout.recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAttributionId(attribution.attributionId().toString())
                .setAmount(Money.newBuilder().setAsset(currency).setAmount(amount))
                .build());
    }

    private CurrencyBalance balance(UUID contributor, String currency) {
        return payout.getBalance(GetBalanceRequest.newBuilder().setContributorId(contributor.toString())
                .setCurrency(currency).build()).getBalances(0);
    }

    private static String bind(UUID contributor) {
        byte[] address = new byte[20];
        RANDOM.nextBytes(address);
        String wallet = "0x" + HexFormat.of().formatHex(address);
        FakeRegistryClient.bind(contributor, "eip155:31337:" + wallet);
        return wallet;
    }
}
