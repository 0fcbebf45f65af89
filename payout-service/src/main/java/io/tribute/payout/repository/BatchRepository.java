package io.tribute.payout.repository;

import static io.tribute.payout.repository.JournalRepository.toBigInteger;
import static io.tribute.payout.repository.JournalRepository.toTime;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Settlement batches, their recipients and skipped contributors, as the planner writes and readers see them. */
@ApplicationScoped
public class BatchRepository {

    /** A planned recipient. */
    public record Recipient(UUID contributorId, String payoutAccount, BigInteger amount) {
    }

    /** A contributor a settlement did not pay, and why. */
    public record Skipped(UUID contributorId, BigInteger amount, String reason) {
    }

    /** A batch as stored. */
    public record StoredBatch(String batchId, int index, String state, int recipientCount, BigInteger totalAmount,
            String checkpointRoot, Long nonce, String txHash, BigInteger gasLimit, BigInteger maxFeePerGas,
            BigInteger maxPriorityFeePerGas, BigInteger gasUsed, BigInteger effectiveGasPrice, Long blockNumber,
            String blockHash, int confirmations, int creditedRecipientCount, String failureDetail,
            OffsetDateTime createdAt, OffsetDateTime broadcastAt, OffsetDateTime settledAt, OffsetDateTime updatedAt) {
    }

    private static final String BATCH_COLUMNS = """
            SELECT batch_id, batch_index, state, recipient_count, total_amount, checkpoint_root, nonce, tx_hash,
                   gas_limit, max_fee_per_gas, max_priority_fee_per_gas, gas_used, effective_gas_price, block_number,
                   block_hash, confirmations, credited_recipient_count, failure_detail, created_at, broadcast_at,
                   settled_at, updated_at
            FROM settlement_batch""";

    public Uni<Void> insertBatch(UUID settlementId, String batchId, int index, String currency,
            String checkpointRoot, List<Recipient> recipients, OffsetDateTime now) {
        BigInteger total = recipients.stream().map(Recipient::amount).reduce(BigInteger.ZERO, BigInteger::add);
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO settlement_batch (batch_id, settlement_id, batch_index, state, currency, recipient_count,
                                              total_amount, checkpoint_root, created_at, updated_at)
                VALUES (:batch, :settlement, :index, 'PLANNED', :currency, :count, :total, :root, :now, :now)""")
                .setParameter("batch", batchId)
                .setParameter("settlement", settlementId)
                .setParameter("index", index)
                .setParameter("currency", currency)
                .setParameter("count", recipients.size())
                .setParameter("total", new BigDecimal(total))
                .setParameter("root", checkpointRoot)
                .setParameter("now", now)
                .executeUpdate()
                .chain(() -> insertRecipients(session, batchId, recipients)))
                .replaceWithVoid();
    }

    private static Uni<Integer> insertRecipients(org.hibernate.reactive.mutiny.Mutiny.Session session, String batchId,
            List<Recipient> recipients) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO settlement_recipient (batch_id, position, contributor_id, payout_account, amount) VALUES ");
        for (int i = 0; i < recipients.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:batch, ").append(i).append(", :c").append(i).append(", :a")
                    .append(i).append(", :m").append(i).append(')');
        }
        var query = session.createNativeQuery(sql.toString()).setParameter("batch", batchId);
        for (int i = 0; i < recipients.size(); i++) {
            query.setParameter("c" + i, recipients.get(i).contributorId())
                    .setParameter("a" + i, recipients.get(i).payoutAccount())
                    .setParameter("m" + i, new BigDecimal(recipients.get(i).amount()));
        }
        return query.executeUpdate();
    }

    public Uni<Void> insertSkipped(UUID settlementId, List<Skipped> skipped) {
        if (skipped.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder sql = new StringBuilder(
                "INSERT INTO settlement_skipped (settlement_id, contributor_id, amount, reason) VALUES ");
        for (int i = 0; i < skipped.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:settlement, :c").append(i).append(", :m").append(i)
                    .append(", :r").append(i).append(')');
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString()).setParameter("settlement", settlementId);
            for (int i = 0; i < skipped.size(); i++) {
                query.setParameter("c" + i, skipped.get(i).contributorId())
                        .setParameter("m" + i, new BigDecimal(skipped.get(i).amount()))
                        .setParameter("r" + i, skipped.get(i).reason());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    public Uni<List<StoredBatch>> batchesOf(UUID settlementId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        BATCH_COLUMNS + " WHERE settlement_id = :settlement ORDER BY batch_index", Object[].class)
                .setParameter("settlement", settlementId)
                .getResultList())
                .map(rows -> rows.stream().map(BatchRepository::toBatch).toList());
    }

    /** Recipients of a batch in transaction order. */
    public Uni<List<Recipient>> recipientsOf(String batchId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT contributor_id, payout_account, amount FROM settlement_recipient
                        WHERE batch_id = :batch ORDER BY position""", Object[].class)
                .setParameter("batch", batchId)
                .getResultList())
                .map(rows -> rows.stream().map(row -> new Recipient((UUID) row[0], (String) row[1],
                        toBigInteger(row[2]))).toList());
    }

    public Uni<List<Skipped>> skippedOf(UUID settlementId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT contributor_id, amount, reason FROM settlement_skipped
                        WHERE settlement_id = :settlement ORDER BY contributor_id""", Object[].class)
                .setParameter("settlement", settlementId)
                .getResultList())
                .map(rows -> rows.stream().map(row -> new Skipped((UUID) row[0], toBigInteger(row[1]),
                        (String) row[2])).toList());
    }

    /** Hashes of the transactions a batch's current one replaced, oldest first. */
    public Uni<List<String>> replacedOf(String batchId, String currentHash) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT tx_hash FROM batch_transaction WHERE batch_id = :batch AND tx_hash <> :current
                        ORDER BY signed_at""", String.class)
                .setParameter("batch", batchId)
                .setParameter("current", currentHash == null ? "" : currentHash)
                .getResultList());
    }

    private static StoredBatch toBatch(Object[] row) {
        return new StoredBatch((String) row[0], ((Number) row[1]).intValue(), (String) row[2],
                ((Number) row[3]).intValue(), toBigInteger(row[4]), (String) row[5], toLong(row[6]), (String) row[7],
                toBigIntegerOrNull(row[8]), toBigIntegerOrNull(row[9]), toBigIntegerOrNull(row[10]),
                toBigIntegerOrNull(row[11]), toBigIntegerOrNull(row[12]), toLong(row[13]), (String) row[14],
                ((Number) row[15]).intValue(), ((Number) row[16]).intValue(), (String) row[17], toTime(row[18]),
                row[19] == null ? null : toTime(row[19]), row[20] == null ? null : toTime(row[20]), toTime(row[21]));
    }

    private static Long toLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static BigInteger toBigIntegerOrNull(Object value) {
        return value == null ? null : toBigInteger(value);
    }
}
