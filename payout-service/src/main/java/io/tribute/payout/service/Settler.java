package io.tribute.payout.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tribute.common.Ids;
import io.tribute.payout.chain.ChainClient;
import io.tribute.payout.chain.ChainReceipt;
import io.tribute.payout.chain.ChainRpcException;
import io.tribute.payout.chain.Fees;
import io.tribute.payout.chain.PaymentBatch;
import io.tribute.payout.chain.SignedTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Pays planned batches on-chain, exactly once: one settler per signing key across replicas (a PostgreSQL advisory
 * lock). Each transaction is signed and stored (raw bytes, hash, nonce from the database) before it is broadcast;
 * receipts are followed to the configured confirmations, stuck transactions replaced with the same nonce and a fee
 * bump, and a receipt that disappears (reorg) sends the batch back to SIGNED to be broadcast again. Blocking work
 * (JDBC and JSON-RPC) on its own thread.
 */
@ApplicationScoped
public class Settler {

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    /** Gas limit over the node's estimate, in ppm, so a batch does not run out of gas on a busier block. */
    private static final long GAS_MARGIN_PPM = 1_200_000;
    private static final List<String> FOLLOWED = List.of("BROADCAST", "CONFIRMING", "UNKNOWN", "SETTLED");

    private final DataSource dataSource;
    private final ChainClient chain;
    private final PayoutSettings settings;
    private ScheduledExecutorService timer;

    public Settler(DataSource dataSource, ChainClient chain, PayoutSettings settings) {
        this.dataSource = dataSource;
        this.chain = chain;
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) {
        if (!settings.settlerEnabled() || !chain.canSign() || settings.contractAddress().isEmpty()) {
            Log.infof("settler not started (enabled=%s, key set=%s, contract set=%s)", settings.settlerEnabled(),
                    chain.canSign(), settings.contractAddress().isPresent());
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "settler"));
        long every = settings.settlerInterval().toMillis();
        timer.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            Log.warnf("settler pass failed, retrying next time: %s", e.getMessage());
        }
    }

    /** One pass: sign planned batches, broadcast signed ones, follow receipts. False if another settler holds the key. */
    public synchronized boolean runOnce() {
        try (Connection lock = dataSource.getConnection()) {
            long key = advisoryLockKey(chain.payerAddress());
            if (!queryBoolean(lock, "SELECT pg_try_advisory_lock(?)", key)) {
                return false;
            }
            try {
                signPlanned();
                broadcastSigned();
                follow();
            } finally {
                queryBoolean(lock, "SELECT pg_advisory_unlock(?)", key);
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("settler database failure: " + e.getMessage(), e);
        }
    }

    /** Signs every PLANNED batch and stores its transaction (nothing is broadcast here). */
    public synchronized void signPlanned() {
        for (String batchId : batchIdsIn(List.of("PLANNED"), "batch_index")) {
            try {
                sign(batchId);
            } catch (ChainRpcException e) {
                fail(batchId, "the node refused the batch: " + e.getMessage());
            }
        }
    }

    private void sign(String batchId) {
        String contract = settings.contractAddress().orElseThrow();
        PaymentBatch payment = paymentOf(batchId);
        BigInteger estimate = chain.estimatePayment(contract, payment);
        BigInteger budget = BigInteger.valueOf(settings.gasCap()).multiply(
                BigInteger.valueOf(settings.gasCapUtilizationPpm())).divide(MILLION);
        BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(GAS_MARGIN_PPM)).divide(MILLION).min(budget);
        if (estimate.compareTo(budget) > 0) {
            fail(batchId, "estimated gas " + estimate + " exceeds the batch budget " + budget);
            return;
        }
        Fees fees = chain.currentFees();
        inTransaction(connection -> {
            long nonce = nextNonce(connection);
            SignedTransaction signed = chain.signPayment(contract, payment, nonce, gasLimit, fees);
            update(connection, """
                    UPDATE settlement_batch SET state = 'SIGNED', payer = ?, nonce = ?, tx_hash = ?,
                           raw_transaction = ?, gas_limit = ?, max_fee_per_gas = ?, max_priority_fee_per_gas = ?,
                           updated_at = ?
                    WHERE batch_id = ? AND state = 'PLANNED'""", chain.payerAddress(), nonce, signed.hash(),
                    signed.rawHex(), new BigDecimal(gasLimit), new BigDecimal(signed.maxFeePerGas()),
                    new BigDecimal(signed.maxPriorityFeePerGas()), now(), batchId);
            storeTransaction(connection, batchId, signed);
            refreshSettlement(connection, batchId);
            return null;
        });
    }

    /** Broadcasts every SIGNED batch's stored transaction, lowest nonce first. */
    public synchronized void broadcastSigned() {
        for (String batchId : batchIdsIn(List.of("SIGNED"), "nonce")) {
            StoredTx stored = storedTx(batchId);
            try {
                chain.broadcast(new SignedTransaction(stored.raw(), stored.hash(), stored.nonce(), null, null, null));
            } catch (ChainRpcException e) {
                if (!e.isAlreadyKnownOrNonceUsed()) {
                    Log.warnf("batch %s: broadcast refused: %s", batchId, e.getMessage());
                    continue;
                }
            }
            inTransaction(connection -> {
                update(connection, """
                        UPDATE settlement_batch SET state = 'BROADCAST', broadcast_at = coalesce(broadcast_at, ?),
                               last_sent_at = ?, updated_at = ?
                        WHERE batch_id = ? AND state = 'SIGNED'""", now(), now(), now(), batchId);
                refreshSettlement(connection, batchId);
                return null;
            });
        }
    }

    /** Follows every broadcast batch's receipt to its confirmations, and settled ones for reorganisations. */
    public synchronized void follow() {
        long head = chain.blockNumber();
        for (String batchId : batchIdsIn(FOLLOWED, "nonce")) {
            StoredTx stored = storedTx(batchId);
            if ("SETTLED".equals(stored.state()) && stored.blockNumber() != null
                    && stored.blockNumber() < head - 2L * settings.confirmations()) {
                continue;
            }
            Optional<ChainReceipt> receipt = Optional.empty();
            for (String hash : transactionsOf(batchId)) {
                receipt = chain.receipt(hash);
                if (receipt.isPresent()) {
                    break;
                }
            }
            if (receipt.isPresent()) {
                included(stored, receipt.get(), head);
            } else {
                notIncluded(stored);
            }
        }
    }

    private void included(StoredTx stored, ChainReceipt receipt, long head) {
        if (!receipt.succeeded()) {
            fail(stored.batchId(), "transaction " + receipt.transactionHash() + " reverted");
            return;
        }
        int confirmations = (int) Math.max(0, head - receipt.blockNumber() + 1);
        int credited = receipt.batchesPaid().stream().filter(event -> event.batchId().equals(stored.batchId()))
                .mapToInt(event -> (int) event.creditedCount()).sum();
        boolean settles = !"SETTLED".equals(stored.state()) && confirmations >= settings.confirmations();
        String state = "SETTLED".equals(stored.state()) || settles ? "SETTLED" : "CONFIRMING";
        inTransaction(connection -> {
            update(connection, """
                    UPDATE settlement_batch SET state = ?, tx_hash = ?, gas_used = ?, effective_gas_price = ?,
                           block_number = ?, block_hash = ?, confirmations = ?, credited_recipient_count = ?,
                           settled_at = CASE WHEN ? THEN ? ELSE settled_at END, failure_detail = NULL, updated_at = ?
                    WHERE batch_id = ?""", state, receipt.transactionHash(), new BigDecimal(receipt.gasUsed()),
                    new BigDecimal(receipt.effectiveGasPrice()), receipt.blockNumber(), receipt.blockHash(),
                    confirmations, credited, settles, now(), now(), stored.batchId());
            if (settles) {
                postMove(connection, stored.batchId(), "SETTLEMENT_PAID", "CONTRIBUTOR_IN_SETTLEMENT",
                        "CONTRIBUTOR_PAID", receipt.transactionHash());
            }
            refreshSettlement(connection, stored.batchId());
            return null;
        });
    }

    private void notIncluded(StoredTx stored) {
        switch (stored.state()) {
            case "CONFIRMING", "SETTLED" -> inTransaction(connection -> {
                // The block holding the transaction left the chain: broadcast the same stored bytes again.
                update(connection, """
                        UPDATE settlement_batch SET state = 'SIGNED', block_number = NULL, block_hash = NULL,
                               confirmations = 0, gas_used = NULL, effective_gas_price = NULL, settled_at = NULL,
                               updated_at = ?
                        WHERE batch_id = ?""", now(), stored.batchId());
                if ("SETTLED".equals(stored.state())) {
                    postMove(connection, stored.batchId(), "SETTLEMENT_REORG", "CONTRIBUTOR_PAID",
                            "CONTRIBUTOR_IN_SETTLEMENT", stored.hash());
                }
                refreshSettlement(connection, stored.batchId());
                return null;
            });
            case "BROADCAST" -> {
                Instant now = Instant.now();
                if (stored.broadcastAt() != null
                        && now.isAfter(stored.broadcastAt().plus(settings.receiptTimeout()))) {
                    markUnknown(stored.batchId());
                } else if (!chain.knowsTransaction(stored.hash())) {
                    // The node lost it (restarted without its pool, or evicted it): the same stored bytes again.
                    rebroadcast(stored);
                } else if (stored.lastSentAt() != null
                        && now.isAfter(stored.lastSentAt().plus(settings.replacementAfter()))) {
                    replace(stored);
                }
            }
            default -> { }
        }
    }

    private void rebroadcast(StoredTx stored) {
        try {
            chain.broadcast(new SignedTransaction(stored.raw(), stored.hash(), stored.nonce(), null, null, null));
        } catch (ChainRpcException e) {
            if (!e.isAlreadyKnownOrNonceUsed()) {
                Log.warnf("batch %s: broadcast again refused: %s", stored.batchId(), e.getMessage());
                return;
            }
        }
        inTransaction(connection -> update(connection,
                "UPDATE settlement_batch SET last_sent_at = ? WHERE batch_id = ?", now(), stored.batchId()));
    }

    /** Replaces a stuck transaction: same batch, same nonce, fees raised by at least the configured bump. */
    public synchronized void replace(String batchId) {
        replace(storedTx(batchId));
    }

    private void replace(StoredTx stored) {
        String contract = settings.contractAddress().orElseThrow();
        Fees bumped = new Fees(stored.maxFeePerGas(), stored.maxPriorityFeePerGas()).bumped(settings.feeBumpPpm());
        Fees current = chain.currentFees();
        Fees fees = new Fees(bumped.maxFeePerGas().max(current.maxFeePerGas()),
                bumped.maxPriorityFeePerGas().max(current.maxPriorityFeePerGas()));
        SignedTransaction signed = chain.signPayment(contract, paymentOf(stored.batchId()), stored.nonce(),
                stored.gasLimit(), fees);
        inTransaction(connection -> {
            update(connection, """
                    UPDATE settlement_batch SET tx_hash = ?, raw_transaction = ?, max_fee_per_gas = ?,
                           max_priority_fee_per_gas = ?, updated_at = ?
                    WHERE batch_id = ?""", signed.hash(), signed.rawHex(), new BigDecimal(fees.maxFeePerGas()),
                    new BigDecimal(fees.maxPriorityFeePerGas()), now(), stored.batchId());
            storeTransaction(connection, stored.batchId(), signed);
            return null;
        });
        try {
            chain.broadcast(signed);
        } catch (ChainRpcException e) {
            if (!e.isAlreadyKnownOrNonceUsed()) {
                Log.warnf("batch %s: replacement refused: %s", stored.batchId(), e.getMessage());
            }
        }
        inTransaction(connection -> update(connection,
                "UPDATE settlement_batch SET last_sent_at = ? WHERE batch_id = ?", now(), stored.batchId()));
    }

    private void markUnknown(String batchId) {
        inTransaction(connection -> {
            update(connection, """
                    UPDATE settlement_batch SET state = 'UNKNOWN', updated_at = ?,
                           failure_detail = 'no receipt within the receipt timeout; waiting for the chain to answer'
                    WHERE batch_id = ?""", now(), batchId);
            refreshSettlement(connection, batchId);
            return null;
        });
    }

    private void fail(String batchId, String detail) {
        inTransaction(connection -> {
            int changed = update(connection, """
                    UPDATE settlement_batch SET state = 'FAILED', failure_detail = ?, updated_at = ?
                    WHERE batch_id = ? AND state NOT IN ('SETTLED', 'FAILED')""", detail, now(), batchId);
            if (changed == 1) {
                postMove(connection, batchId, "SETTLEMENT_RELEASE", "CONTRIBUTOR_IN_SETTLEMENT",
                        "CONTRIBUTOR_PAYABLE", null);
            }
            refreshSettlement(connection, batchId);
            return null;
        });
    }

    /** Posts one balanced journal moving each recipient's amount of a batch from one account to another. */
    private static void postMove(Connection connection, String batchId, String kind, String fromAccount,
            String toAccount, String txHash) throws SQLException {
        UUID journal = Ids.newId();
        String currency;
        UUID settlementId;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT currency, settlement_id FROM settlement_batch WHERE batch_id = ?")) {
            statement.setString(1, batchId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                currency = row.getString(1);
                settlementId = row.getObject(2, UUID.class);
            }
        }
        update(connection, """
                INSERT INTO journal (id, kind, settlement_id, created_at, currency, batch_id, tx_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", journal, kind, settlementId, now(), currency, batchId, txHash);
        try (PreparedStatement recipients = connection.prepareStatement(
                "SELECT contributor_id, amount FROM settlement_recipient WHERE batch_id = ? ORDER BY position");
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            recipients.setString(1, batchId);
            try (ResultSet row = recipients.executeQuery()) {
                while (row.next()) {
                    UUID contributor = row.getObject(1, UUID.class);
                    BigDecimal amount = row.getBigDecimal(2);
                    addEntry(insert, journal, fromAccount, contributor, currency, amount, BigDecimal.ZERO);
                    addEntry(insert, journal, toAccount, contributor, currency, BigDecimal.ZERO, amount);
                }
            }
            insert.executeBatch();
        }
    }

    private static void addEntry(PreparedStatement insert, UUID journal, String account, UUID contributor,
            String currency, BigDecimal debit, BigDecimal credit) throws SQLException {
        insert.setObject(1, Ids.newId());
        insert.setObject(2, journal);
        insert.setString(3, account);
        insert.setObject(4, contributor);
        insert.setString(5, currency);
        insert.setBigDecimal(6, debit);
        insert.setBigDecimal(7, credit);
        insert.addBatch();
    }

    /** Derives the settlement's state from its batches (payout.proto's SettlementState rules) and stores it. */
    private static void refreshSettlement(Connection connection, String batchId) throws SQLException {
        UUID settlementId;
        List<String> states = new ArrayList<>();
        BigInteger paid = BigInteger.ZERO;
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT b.settlement_id, b.state, b.total_amount FROM settlement_batch b
                WHERE b.settlement_id = (SELECT settlement_id FROM settlement_batch WHERE batch_id = ?)""")) {
            statement.setString(1, batchId);
            settlementId = null;
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    settlementId = row.getObject(1, UUID.class);
                    states.add(row.getString(2));
                    if ("SETTLED".equals(row.getString(2))) {
                        paid = paid.add(row.getBigDecimal(3).toBigIntegerExact());
                    }
                }
            }
        }
        String state = settlementState(states);
        boolean finished = state.equals("SETTLED") || state.equals("FAILED");
        update(connection, """
                UPDATE settlement SET state = ?, paid_amount = ?, updated_at = ?,
                       finished_at = CASE WHEN ? THEN coalesce(finished_at, ?) ELSE NULL END
                WHERE id = ?""", state, new BigDecimal(paid), now(), finished, now(), settlementId);
    }

    static String settlementState(List<String> batches) {
        Set<String> states = new LinkedHashSet<>(batches);
        if (states.isEmpty() || states.equals(Set.of("SETTLED"))) {
            return "SETTLED";
        }
        if (Set.of("SETTLED", "FAILED").containsAll(states)) {
            return "FAILED";
        }
        if (Set.of("PLANNED", "SIGNED").containsAll(states)) {
            return "PLANNED";
        }
        if (states.contains("PLANNED") || states.contains("SIGNED")) {
            return "BROADCASTING";
        }
        if (states.contains("BROADCAST") || states.contains("CONFIRMING")) {
            return "CONFIRMING";
        }
        return "UNKNOWN";
    }

    /** The next nonce: the stored one, or the chain's if transactions were sent from this key outside the ledger. */
    private long nextNonce(Connection connection) throws SQLException {
        String payer = chain.payerAddress();
        update(connection, "INSERT INTO payer_nonce (payer, next_nonce) VALUES (?, 0) ON CONFLICT DO NOTHING", payer);
        long stored;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT next_nonce FROM payer_nonce WHERE payer = ? FOR UPDATE")) {
            statement.setString(1, payer);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                stored = row.getLong(1);
            }
        }
        long nonce = Math.max(stored, chain.pendingNonce());
        update(connection, "UPDATE payer_nonce SET next_nonce = ? WHERE payer = ?", nonce + 1, payer);
        return nonce;
    }

    private PaymentBatch paymentOf(String batchId) {
        return inTransaction(connection -> {
            String currency;
            String root;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT currency, checkpoint_root FROM settlement_batch WHERE batch_id = ?")) {
                statement.setString(1, batchId);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    currency = row.getString(1);
                    root = row.getString(2);
                }
            }
            List<String> recipients = new ArrayList<>();
            List<BigInteger> amounts = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT payout_account, amount FROM settlement_recipient WHERE batch_id = ? ORDER BY position")) {
                statement.setString(1, batchId);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        String account = row.getString(1);
                        recipients.add(account.substring(account.lastIndexOf(':') + 1));
                        amounts.add(row.getBigDecimal(2).toBigIntegerExact());
                    }
                }
            }
            return new PaymentBatch(batchId, root, tokenOf(currency), recipients, amounts);
        });
    }

    /** The ERC-20 contract of a CAIP-19 currency, or null for the chain's native coin. */
    static String tokenOf(String currency) {
        int erc20 = currency.indexOf("/erc20:");
        return erc20 < 0 ? null : currency.substring(erc20 + "/erc20:".length());
    }

    private record StoredTx(String batchId, String state, Long nonce, String hash, String raw, BigInteger gasLimit,
            BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, Long blockNumber, Instant broadcastAt,
            Instant lastSentAt) {
    }

    private StoredTx storedTx(String batchId) {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT state, nonce, tx_hash, raw_transaction, gas_limit, max_fee_per_gas, max_priority_fee_per_gas,
                           block_number, broadcast_at, last_sent_at
                    FROM settlement_batch WHERE batch_id = ?""")) {
                statement.setString(1, batchId);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return new StoredTx(batchId, row.getString(1), (Long) row.getObject(2), row.getString(3),
                            row.getString(4), integer(row.getBigDecimal(5)), integer(row.getBigDecimal(6)),
                            integer(row.getBigDecimal(7)), (Long) row.getObject(8), instant(row.getTimestamp(9)),
                            instant(row.getTimestamp(10)));
                }
            }
        });
    }

    private List<String> transactionsOf(String batchId) {
        return inTransaction(connection -> {
            List<String> hashes = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT tx_hash FROM batch_transaction WHERE batch_id = ? ORDER BY signed_at DESC""")) {
                statement.setString(1, batchId);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        hashes.add(row.getString(1));
                    }
                }
            }
            return hashes;
        });
    }

    private List<String> batchIdsIn(List<String> states, String order) {
        return inTransaction(connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT batch_id FROM settlement_batch "
                    + "WHERE state = ANY (?) ORDER BY " + order + ", created_at, batch_index")) {
                statement.setArray(1, connection.createArrayOf("text", states.toArray()));
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        ids.add(row.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    private static void storeTransaction(Connection connection, String batchId, SignedTransaction signed)
            throws SQLException {
        update(connection, """
                INSERT INTO batch_transaction (tx_hash, batch_id, nonce, raw_transaction, max_fee_per_gas, signed_at)
                VALUES (?, ?, ?, ?, ?, ?)""", signed.hash(), batchId, signed.nonce(), signed.rawHex(),
                new BigDecimal(signed.maxFeePerGas()), now());
    }

    /** Work done in one JDBC transaction. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("settler database failure: " + e.getMessage(), e);
        }
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static boolean queryBoolean(Connection connection, String sql, long parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The advisory lock of a signing key: one settler per key, whatever the number of replicas. */
    public static long advisoryLockKey(String payerAddress) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("tribute-settler:" + payerAddress).getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, java.util.Arrays.copyOf(digest, 8)).longValue();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static BigInteger integer(BigDecimal value) {
        return value == null ? null : value.toBigIntegerExact();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
