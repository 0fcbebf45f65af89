package io.tribute.e2e;

import static io.tribute.e2e.Settlements.amount;
import static org.assertj.core.api.Assertions.assertThat;

import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.common.v1.Money;
import io.tribute.payout.chain.BatchPaidEvent;
import io.tribute.payout.chain.LocalChain;
import io.tribute.e2e.People.Person;
import io.tribute.e2e.TributeSuite.Service;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.BatchRecipient;
import io.tribute.payout.v1.BatchState;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.ReconcileRequest;
import io.tribute.payout.v1.ReconcileResponse;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SkipReason;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole suite as real processes (registry, attribution and payout jars, anvil, PostgreSQL), configured by
 * environment as Kubernetes does: contributors bind wallets by signature in the registry, the attribution service
 * attributes an output over their registered assets, payout records the revenue and settles it on-chain with its own
 * settler; the ERC-20 balances read back from the chain must equal what the ledger says was paid. Then the payout
 * process is killed (SIGKILL) between broadcast and confirmation, and anvil is restarted mid-settlement: each batch
 * is still paid exactly once.
 */
class SettlementEndToEndTest {

    private static TributeSuite suite;
    private static People people;
    private static Settlements settlements;
    private static LocalChain chain;
    private static String currency;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = TributeSuite.shared();
        people = new People(suite);
        settlements = new Settlements(suite);
        chain = suite.chain;
        currency = chain.tokenCurrency();
    }

    @BeforeEach
    void payoutRunsAndChainMines() throws Exception {
        chain.anvil.start();
        chain.anvil.setAutomine(true);
        if (!suite.isAlive(Service.PAYOUT)) {
            suite.startService(Service.PAYOUT);
        }
    }

    @AfterEach
    void chainMinesAgain() {
        chain.anvil.start();
        chain.anvil.setAutomine(true);
    }

    @Test
    void revenueAttributedByTheRealPeersIsPaidOnChainExactlyAsTheLedgerRecordsIt() throws Exception {
        Person alice = people.withWallet("alice");
        Person bob = people.withWallet("bob");
        Person carol = people.withWallet("carol");
        Person dan = people.withoutWallet("dan");
        String item = people.asset(AssetKind.ASSET_KIND_DATA_ITEM, new Person[] {carol, dan});
        String model = people.asset(AssetKind.ASSET_KIND_MODEL, new Person[] {alice},
                People.parent(item, EdgeType.EDGE_TYPE_TRAINED_ON));
        String prompt = people.asset(AssetKind.ASSET_KIND_PROMPT, new Person[] {bob});
        Attribution attribution = people.attribute(model, prompt);
        assertThat(attribution.getSharesList()).extracting(AttributionShare::getContributorId)
                .containsExactlyInAnyOrder(alice.id(), bob.id(), carol.id(), dan.id());

        BigInteger revenue = new BigInteger("1000000000000000007");
        RecordRevenueResponse recorded = suite.payout().recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setOutputSha256(attribution.getOutput().getContentSha256())
                .setAmount(Money.newBuilder().setAsset(currency).setAmount(revenue.toString()))
                .build());
        assertThat(recorded.getJournal().getReferences().getAttributionId()).isEqualTo(attribution.getId());
        BigInteger accruedTotal = BigInteger.ZERO;
        for (Person person : List.of(alice, bob, carol, dan)) {
            accruedTotal = accruedTotal.add(amount(settlements.balance(person).getAccrued()));
        }
        assertThat(accruedTotal.add(amount(recorded.getFeeAmount()))).isEqualTo(revenue);
        BigInteger danAccrued = amount(settlements.balance(dan).getAccrued());

        Settlement settled = settlements.awaitSettled(settlements.create());

        BigInteger paidOnChain = BigInteger.ZERO;
        for (Person person : List.of(alice, bob, carol)) {
            CurrencyBalance balance = settlements.balance(person);
            BigInteger onChain = chain.payer.tokenBalance(chain.token, person.wallet());
            assertThat(onChain).as(person.name() + "'s tokens").isPositive().isEqualTo(amount(balance.getPaid()));
            assertThat(balance.getAccrued()).isEqualTo("0");
            assertThat(balance.getInSettlement()).isEqualTo("0");
            paidOnChain = paidOnChain.add(onChain);
        }
        assertThat(amount(settled.getPaidAmount())).isEqualTo(paidOnChain);
        assertThat(paidOnChain.add(danAccrued).add(amount(recorded.getFeeAmount()))).isEqualTo(revenue);
        assertThat(settlements.balance(dan).getPaid()).isEqualTo("0");
        assertThat(amount(settlements.balance(dan).getAccrued())).isEqualTo(danAccrued);
        assertThat(settled.getSkippedContributorsList()).anySatisfy(skipped -> {
            assertThat(skipped.getContributorId()).isEqualTo(dan.id());
            assertThat(skipped.getReason()).isEqualTo(SkipReason.SKIP_REASON_NO_WALLET);
        });
        List<String> accounts = settled.getBatchesList().stream().flatMap(batch -> batch.getRecipientsList().stream())
                .map(BatchRecipient::getPayoutAccount).toList();
        assertThat(accounts).contains("eip155:31337:" + alice.wallet(), "eip155:31337:" + bob.wallet(),
                "eip155:31337:" + carol.wallet());
        long logSize = suite.attribution().getCheckpoint(GetCheckpointRequest.getDefaultInstance())
                .getCheckpoint().getTreeSize();
        assertThat(settled.getCheckpoint().getTreeSize()).isBetween(1L, logSize);
        for (Batch batch : settled.getBatchesList()) {
            assertThat(chain.payer.checkpointRootOf(chain.payouts, batch.getBatchId()))
                    .isEqualTo("0x" + settled.getCheckpoint().getRootHash());
        }
        assertThat(reconcile(settled).getDifferencesList()).isEmpty();
    }

    @Test
    void payoutKilledBetweenBroadcastAndConfirmationPaysTheBatchExactlyOnceAfterRestart() throws Exception {
        Person erin = people.withWallet("erin");
        BigInteger accrued = recordRevenueFor(erin, "5000000");
        long nonceBefore = chain.payer.minedNonce();
        chain.anvil.setAutomine(false);

        String settlementId = settlements.create();
        Batch broadcast = settlements.awaitFirstBatch(settlementId, BatchState.BATCH_STATE_BROADCAST);
        assertThat(chain.payer.receipt(broadcast.getTxHash())).isEmpty();
        assertThat(chain.payer.knowsTransaction(broadcast.getTxHash())).isTrue();

        suite.kill(Service.PAYOUT);
        assertThat(suite.isAlive(Service.PAYOUT)).isFalse();
        suite.startService(Service.PAYOUT);

        Batch afterRestart = settlements.describe(settlementId).getBatches(0);
        assertThat(afterRestart.getTxHash()).isEqualTo(broadcast.getTxHash());
        assertThat(afterRestart.getNonce()).isEqualTo(broadcast.getNonce());
        assertThat(chain.payer.tokenBalance(chain.token, erin.wallet())).isZero();

        chain.anvil.setAutomine(true);
        Settlement settled = settlements.awaitSettled(settlementId);

        assertPaidExactlyOnce(settled, erin, accrued, nonceBefore);
        assertThat(settled.getBatches(0).getTxHash()).isEqualTo(broadcast.getTxHash());
    }

    @Test
    void anvilRestartedMidSettlementStillPaysTheBatchExactlyOnce() throws Exception {
        Person frank = people.withWallet("frank");
        BigInteger accrued = recordRevenueFor(frank, "7000000");
        long nonceBefore = chain.payer.minedNonce();
        chain.anvil.setAutomine(false);

        String settlementId = settlements.create();
        Batch broadcast = settlements.awaitFirstBatch(settlementId, BatchState.BATCH_STATE_BROADCAST);

        // The node goes away with the transaction in its pool and comes back with its chain (not its pool).
        chain.anvil.stop();
        Thread.sleep(1_000);
        chain.anvil.start();

        Settlement settled = settlements.awaitSettled(settlementId);

        assertPaidExactlyOnce(settled, frank, accrued, nonceBefore);
        assertThat(settled.getBatches(0).getTxHash()).isEqualTo(broadcast.getTxHash());
    }

    private void assertPaidExactlyOnce(Settlement settled, Person person, BigInteger accrued, long nonceBefore) {
        Batch batch = settled.getBatches(0);
        assertThat(settled.getBatchesCount()).isEqualTo(1);
        assertThat(chain.payer.tokenBalance(chain.token, person.wallet())).isEqualTo(accrued);
        assertThat(settlements.balance(person).getPaid()).isEqualTo(accrued.toString());
        assertThat(settlements.balance(person).getInSettlement()).isEqualTo("0");
        assertThat(chain.payer.minedNonce()).as("transactions the payer sent").isEqualTo(nonceBefore + 1);
        List<BatchPaidEvent> events = chain.payer.batchPaidEvents(chain.payouts, 0, chain.anvil.blockNumber())
                .stream().filter(event -> event.batchId().equals(batch.getBatchId())).toList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.totalAmount()).isEqualTo(accrued);
            assertThat(event.transactionHash()).isEqualTo(batch.getTxHash());
        });
        ReconcileResponse report = reconcile(settled);
        assertThat(report.getDifferencesList()).isEmpty();
        assertThat(report.getMatchedCount()).isEqualTo(1);
    }

    /** A contributor who alone created a model, one output of it attributed, revenue recorded; returns the accrual. */
    private BigInteger recordRevenueFor(Person person, String amount) {
        String model = people.asset(AssetKind.ASSET_KIND_MODEL, new Person[] {person});
        Attribution attribution = people.attribute(model, null);
        suite.payout().recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAttributionId(attribution.getId())
                .setAmount(Money.newBuilder().setAsset(currency).setAmount(amount))
                .build());
        BigInteger accrued = amount(settlements.balance(person).getAccrued());
        assertThat(accrued).isPositive();
        return accrued;
    }

    private static ReconcileResponse reconcile(Settlement settlement) {
        return suite.payout().reconcile(ReconcileRequest.newBuilder().setSettlementId(settlement.getId()).build());
    }
}
