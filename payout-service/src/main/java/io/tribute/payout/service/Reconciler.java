package io.tribute.payout.service;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import com.google.rpc.Code;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.ErrorReason;
import io.tribute.payout.chain.BatchPaidEvent;
import io.tribute.payout.chain.ChainClient;
import io.tribute.payout.chain.ChainRpcException;
import io.tribute.payout.chain.ChainUnavailableException;
import io.tribute.payout.mapping.JournalMapper;
import io.tribute.payout.v1.DifferenceType;
import io.tribute.payout.v1.ReconcileDifference;
import io.tribute.payout.v1.ReconcileRequest;
import io.tribute.payout.v1.ReconcileResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reconcile: compares the ledger's batches with the contract's BatchPaid events and reports every difference. */
@ApplicationScoped
public class Reconciler {

    private static final String LEDGER_BATCHES = """
            SELECT b.batch_id, b.settlement_id, b.state, b.total_amount, b.recipient_count, b.currency,
                   b.checkpoint_root, b.tx_hash, b.block_number,
                   (SELECT string_agg(t.tx_hash, ',') FROM batch_transaction t WHERE t.batch_id = b.batch_id),
                   (SELECT string_agg(r.payout_account || '=' || r.amount, ',' ORDER BY r.position)
                    FROM settlement_recipient r WHERE r.batch_id = b.batch_id)
            FROM settlement_batch b
            WHERE b.state <> 'PLANNED' AND b.state <> 'SIGNED'""";

    private final ChainClient chain;
    private final PayoutSettings settings;

    public Reconciler(ChainClient chain, PayoutSettings settings) {
        this.chain = chain;
        this.settings = settings;
    }

    private record LedgerBatch(String batchId, UUID settlementId, String state, BigInteger total, int recipients,
            String currency, String root, String txHash, Long blockNumber, Set<String> transactions,
            String recipientsDigest) {
    }

    private record Scan(long from, long to, List<BatchPaidEvent> events) {
    }

    public Uni<ReconcileResponse> reconcile(ReconcileRequest request) {
        UUID settlementId = request.getSettlementId().isEmpty() ? null : Ids.parseOrNull(request.getSettlementId());
        new FieldViolations()
                .require(request.getSettlementId().isEmpty() || settlementId != null, "settlement_id",
                        "must be a UUID")
                .require(request.getCurrency().isEmpty() || Currencies.isCaip19(request.getCurrency()), "currency",
                        "must be a CAIP-19 asset id")
                .require(request.getToBlock() == 0 || request.getFromBlock() <= request.getToBlock(), "from_block",
                        "must not be after to_block")
                .throwIfAny(ERRORS);
        if (!request.getCurrency().isEmpty() && !settings.currencies().contains(request.getCurrency())) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CURRENCY_NOT_SUPPORTED,
                    request.getCurrency() + " is not settled here", Map.of("currency", request.getCurrency()));
        }
        String contract = settings.contractAddress().orElseThrow(() -> ERRORS.failedPrecondition(
                ErrorReason.ERROR_REASON_CURRENCY_NOT_SUPPORTED, "no TributePayouts contract is configured", Map.of()));
        return Panache.withSession(() -> ledgerBatches(settlementId, request.getCurrency()))
                .chain(ledger -> Uni.createFrom().item(() -> scan(contract, request))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .map(scan -> compare(request, contract, ledger, scan)));
    }

    private Scan scan(String contract, ReconcileRequest request) {
        try {
            long to = request.getToBlock() == 0 ? chain.blockNumber() : request.getToBlock();
            long from = request.getFromBlock();
            if (to - from + 1 > settings.reconcileMaxBlockRange()) {
                throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED,
                        "at most " + settings.reconcileMaxBlockRange() + " blocks per call",
                        Map.of("limit", Long.toString(settings.reconcileMaxBlockRange())));
            }
            return new Scan(from, to, chain.batchPaidEvents(contract, from, to));
        } catch (ChainUnavailableException | ChainRpcException e) {
            throw ERRORS.status(Code.UNAVAILABLE, ErrorReason.ERROR_REASON_PEER_UNAVAILABLE,
                    "the chain's node is unavailable", Map.of("peer", "chain"));
        }
    }

    private ReconcileResponse compare(ReconcileRequest request, String contract, List<LedgerBatch> ledger, Scan scan) {
        Map<String, LedgerBatch> byId = new HashMap<>();
        ledger.forEach(batch -> byId.put(batch.batchId(), batch));
        List<ReconcileDifference> differences = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int matched = 0;
        for (BatchPaidEvent event : scan.events()) {
            LedgerBatch batch = byId.get(event.batchId());
            if (batch == null) {
                if (request.getSettlementId().isEmpty() && request.getCurrency().isEmpty()) {
                    differences.add(difference(DifferenceType.DIFFERENCE_TYPE_MISSING_IN_LEDGER, event, null, "", "",
                            "the contract paid a batch the ledger does not know"));
                }
                continue;
            }
            seen.add(batch.batchId());
            int before = differences.size();
            if (!"SETTLED".equals(batch.state())) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_NOT_SETTLED_IN_LEDGER, event, batch,
                        batch.state(), "paid", "the contract paid the batch; the ledger does not count it as paid yet"));
            }
            if (!batch.total().equals(event.totalAmount())) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_AMOUNT_MISMATCH, event, batch,
                        batch.total().toString(), event.totalAmount().toString(), "the paid totals differ"));
            }
            if (batch.recipients() != event.recipientCount()) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_RECIPIENTS_MISMATCH, event, batch,
                        Integer.toString(batch.recipients()), Long.toString(event.recipientCount()),
                        "the recipient counts differ"));
            } else if (!batch.recipientsDigest().equalsIgnoreCase(event.recipientsDigest())) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_RECIPIENTS_MISMATCH, event, batch,
                        batch.recipientsDigest(), event.recipientsDigest(), "the recipients or their amounts differ"));
            }
            String token = Settler.tokenOf(batch.currency());
            String ledgerToken = token == null ? "" : token.toLowerCase(Locale.ROOT);
            String chainToken = event.token() == null ? "" : event.token().toLowerCase(Locale.ROOT);
            if (!ledgerToken.equals(chainToken)) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_CURRENCY_MISMATCH, event, batch,
                        ledgerToken, chainToken, "the paid token differs"));
            }
            if (!batch.root().equalsIgnoreCase(event.checkpointRoot())) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_CHECKPOINT_ROOT_MISMATCH, event, batch,
                        batch.root(), event.checkpointRoot(), "the recorded checkpoint roots differ"));
            }
            if (!batch.transactions().contains(event.transactionHash())) {
                differences.add(difference(DifferenceType.DIFFERENCE_TYPE_TRANSACTION_MISMATCH, event, batch,
                        String.valueOf(batch.txHash()), event.transactionHash(),
                        "the event's transaction is not one the ledger signed for the batch"));
            }
            if (differences.size() == before) {
                matched++;
            }
        }
        int compared = 0;
        for (LedgerBatch batch : ledger) {
            boolean inRange = batch.blockNumber() != null && batch.blockNumber() >= scan.from()
                    && batch.blockNumber() <= scan.to();
            if (inRange || seen.contains(batch.batchId())) {
                compared++;
            }
            if ("SETTLED".equals(batch.state()) && inRange && !seen.contains(batch.batchId())) {
                differences.add(ReconcileDifference.newBuilder()
                        .setType(DifferenceType.DIFFERENCE_TYPE_MISSING_ON_CHAIN)
                        .setBatchId(batch.batchId())
                        .setSettlementId(batch.settlementId().toString())
                        .setLedgerValue("SETTLED")
                        .setDetail("the ledger counts the batch as paid but the contract has no event for it")
                        .setBlockNumber(0)
                        .build());
            }
        }
        differences.sort(Comparator.comparingLong(ReconcileDifference::getBlockNumber)
                .thenComparing(ReconcileDifference::getBatchId));
        return ReconcileResponse.newBuilder()
                .setChainId(settings.chainId())
                .setContract(settings.chainId() + ":" + contract.toLowerCase(Locale.ROOT))
                .setFromBlock(scan.from())
                .setToBlock(scan.to())
                .setLedgerBatchCount(compared)
                .setChainEventCount(scan.events().size())
                .setMatchedCount(matched)
                .addAllDifferences(differences)
                .setConsistent(differences.isEmpty())
                .setGeneratedAt(JournalMapper.timestamp(OffsetDateTime.now(ZoneOffset.UTC)))
                .build();
    }

    private static ReconcileDifference difference(DifferenceType type, BatchPaidEvent event, LedgerBatch batch,
            String ledgerValue, String chainValue, String detail) {
        var difference = ReconcileDifference.newBuilder()
                .setType(type)
                .setBatchId(event.batchId())
                .setTxHash(event.transactionHash())
                .setBlockNumber(event.blockNumber())
                .setLedgerValue(ledgerValue)
                .setChainValue(chainValue)
                .setDetail(detail);
        if (batch != null) {
            difference.setSettlementId(batch.settlementId().toString());
        }
        return difference.build();
    }

    private Uni<List<LedgerBatch>> ledgerBatches(UUID settlementId, String currency) {
        String sql = LEDGER_BATCHES + (settlementId == null ? "" : " AND b.settlement_id = :settlement")
                + (currency.isEmpty() ? "" : " AND b.currency = :currency");
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            if (settlementId != null) {
                query.setParameter("settlement", settlementId);
            }
            if (!currency.isEmpty()) {
                query.setParameter("currency", currency);
            }
            return query.getResultList();
        }).map(rows -> rows.stream().map(row -> new LedgerBatch((String) row[0], (UUID) row[1], (String) row[2],
                new BigInteger(row[3].toString()), ((Number) row[4]).intValue(), (String) row[5], (String) row[6],
                (String) row[7], row[8] == null ? null : ((Number) row[8]).longValue(),
                row[9] == null ? Set.of() : Set.of(((String) row[9]).split(",")), digest((String) row[10])))
                .toList());
    }

    /** The ledger's side of the event's recipientsDigest, from "caip10=amount,..." in transaction order. */
    private static String digest(String recipients) {
        List<String> addresses = new ArrayList<>();
        List<BigInteger> amounts = new ArrayList<>();
        if (recipients != null) {
            for (String recipient : recipients.split(",")) {
                int equals = recipient.lastIndexOf('=');
                String account = recipient.substring(0, equals);
                addresses.add(account.substring(account.lastIndexOf(':') + 1));
                amounts.add(new BigInteger(recipient.substring(equals + 1)));
            }
        }
        return ChainClient.recipientsDigest(addresses, amounts);
    }
}
