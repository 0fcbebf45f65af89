package io.tribute.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.BatchState;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementState;
import java.math.BigInteger;
import java.time.Duration;
import java.util.UUID;

/** Settling the suite's currency and following a settlement to SETTLED, mining the blocks it waits for. */
final class Settlements {

    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(300);

    private final TributeSuite suite;

    Settlements(TributeSuite suite) {
        this.suite = suite;
    }

    /** Creates a settlement of every payable of at least one unit; returns its id. */
    String create() {
        return suite.payout().createSettlement(CreateSettlementRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setCurrency(suite.currency())
                .setMinimumAmount("1")
                .build()).getSettlement().getId();
    }

    Settlement describe(String settlementId) {
        return suite.payout().getSettlement(GetSettlementRequest.newBuilder().setSettlementId(settlementId)
                .setIncludeRecipients(true).build()).getSettlement();
    }

    /** The person's balance in the suite's currency, as the ledger holds it. */
    CurrencyBalance balance(People.Person person) {
        return suite.payout().getBalance(GetBalanceRequest.newBuilder().setContributorId(person.id())
                .setCurrency(suite.currency()).build()).getBalances(0);
    }

    /** An amount the API wrote as a decimal string (empty for none). */
    static BigInteger amount(String decimal) {
        return decimal.isEmpty() ? BigInteger.ZERO : new BigInteger(decimal);
    }

    /** Waits until the settlement's first batch is in {@code state}; returns that batch. */
    Batch awaitFirstBatch(String settlementId, BatchState state) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            Settlement settlement = describe(settlementId);
            if (settlement.getBatchesCount() > 0 && settlement.getBatches(0).getState() == state) {
                return settlement.getBatches(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("first batch not " + state + " within " + SETTLE_TIMEOUT + ": " + settlement);
            }
            Thread.sleep(POLL.dividedBy(3));
        }
    }

    /** Waits until the settlement is SETTLED, mining a block now and then for its confirmations. */
    Settlement awaitSettled(String settlementId) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            Settlement settlement = describe(settlementId);
            if (settlement.getState() == SettlementState.SETTLEMENT_STATE_SETTLED) {
                return settlement;
            }
            assertThat(settlement.getState()).isNotEqualTo(SettlementState.SETTLEMENT_STATE_FAILED);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not settled within " + SETTLE_TIMEOUT + ": " + settlement);
            }
            try {
                suite.chain.anvil.mine(1);
            } catch (RuntimeException nodeRestarting) {
                // anvil is coming back; the next round mines.
            }
            Thread.sleep(POLL);
        }
    }
}
