package io.tribute.payout;

import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One posting to the ledger: balanced entries of one currency, and what they refer to. */
public record Journal(UUID id, Kind kind, String currency, OffsetDateTime createdAt, References references,
        List<Entry> entries) {

    /** Why a journal was posted (JournalKind in payout.proto). */
    public enum Kind {
        REVENUE, SETTLEMENT_RESERVE, SETTLEMENT_PAID, SETTLEMENT_RELEASE, SETTLEMENT_REORG
    }

    /** A ledger account type (AccountType in payout.proto). */
    public enum Account {
        REVENUE, FEE, CONTRIBUTOR_PAYABLE, CONTRIBUTOR_IN_SETTLEMENT, CONTRIBUTOR_PAID
    }

    /** What the journal refers to; null fields do not apply. */
    public record References(UUID attributionId, String outputSha256, String requestId, String externalRef,
            UUID settlementId, String batchId, String txHash) {

        public static References none() {
            return new References(null, null, null, null, null, null, null);
        }
    }

    /** One immutable entry: exactly one of debit and credit is above zero. */
    public record Entry(UUID id, Account account, UUID contributorId, BigInteger debit, BigInteger credit) {

        public static Entry debit(UUID id, Account account, UUID contributorId, BigInteger amount) {
            return new Entry(id, account, contributorId, amount, BigInteger.ZERO);
        }

        public static Entry credit(UUID id, Account account, UUID contributorId, BigInteger amount) {
            return new Entry(id, account, contributorId, BigInteger.ZERO, amount);
        }
    }
}
