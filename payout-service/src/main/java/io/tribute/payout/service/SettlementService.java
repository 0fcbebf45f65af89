package io.tribute.payout.service;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;
import static io.tribute.payout.grpc.PayoutErrors.PAGE_TOKENS;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import io.tribute.payout.Journal;
import io.tribute.payout.Settlement;
import io.tribute.payout.client.AttributionClient;
import io.tribute.payout.client.LogCheckpoint;
import io.tribute.payout.client.RegistryClient;
import io.tribute.payout.mapping.SettlementMapper;
import io.tribute.payout.repository.BatchRepository;
import io.tribute.payout.repository.BatchRepository.Recipient;
import io.tribute.payout.repository.BatchRepository.Skipped;
import io.tribute.payout.repository.JournalRepository;
import io.tribute.payout.repository.LedgerRepository;
import io.tribute.payout.repository.LedgerRepository.Payable;
import io.tribute.payout.repository.SettlementRepository;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CreateSettlementResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plans settlements of accrued balances (recipients with bound wallets, batches under the gas budget, amounts
 * reserved PAYABLE → IN_SETTLEMENT) and finds them; the Settler pays the planned batches.
 */
@ApplicationScoped
public class SettlementService {

    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE_SIZE = 500;

    private final SettlementRepository settlements;
    private final LedgerRepository ledger;
    private final JournalRepository journals;
    private final BatchRepository batches;
    private final RegistryClient registry;
    private final AttributionClient attribution;
    private final IdempotentRequests idempotentRequests;
    private final PayoutSettings settings;
    private final BatchGasPlanner gasPlanner;

    public SettlementService(SettlementRepository settlements, LedgerRepository ledger, JournalRepository journals,
            BatchRepository batches, RegistryClient registry, AttributionClient attribution,
            IdempotentRequests idempotentRequests, PayoutSettings settings, BatchGasPlanner gasPlanner) {
        this.settlements = settlements;
        this.ledger = ledger;
        this.journals = journals;
        this.batches = batches;
        this.registry = registry;
        this.attribution = attribution;
        this.idempotentRequests = idempotentRequests;
        this.settings = settings;
        this.gasPlanner = gasPlanner;
    }

    /**
     * Reads the peers and sizes the batches by the chain's gas estimates first (no transaction waits on them), then
     * plans and reserves in one transaction.
     */
    public Uni<CreateSettlementResponse> create(CreateSettlementRequest request) {
        BigInteger minimum = validate(request);
        Context context = Vertx.currentContext();
        return Panache.withSession(() -> ledger.payablesAtLeast(request.getCurrency(), minimum))
                .chain(payables -> payables.isEmpty()
                        ? Uni.createFrom().item(new PeerFacts(Map.of(), null))
                        : registry.payoutAccounts(payables.stream().map(Payable::contributorId).toList())
                                .chain(accounts -> attribution.latestCheckpoint()
                                        .map(checkpoint -> new PeerFacts(accounts, checkpoint)))
                                .chain(facts -> sizeBatches(request, payables, facts, context)))
                .chain(facts -> Panache.withTransaction(() -> idempotentRequests.once(ERRORS, "CreateSettlement",
                        request.getRequestId(), request, CreateSettlementResponse.parser(),
                        () -> plan(request, minimum, facts))));
    }

    /** Estimates the batches of the recipients as read now, on a worker thread, and comes back to the caller's context. */
    private Uni<PeerFacts> sizeBatches(CreateSettlementRequest request, List<Payable> payables, PeerFacts facts,
            Context context) {
        List<Recipient> recipients = select(payables, facts).recipients();
        Uni<BatchGasPlanner.BatchPlan> plan = Uni.createFrom()
                .item(() -> gasPlanner.plan(request.getCurrency(), checkpointRoot(facts.checkpoint()), recipients,
                        requestedPerBatch(request)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        if (context != null) {
            plan = plan.emitOn(command -> context.runOnContext(ignored -> command.run()));
        }
        return plan.map(batchPlan -> new PeerFacts(facts.accounts(), facts.checkpoint(), batchPlan));
    }

    @WithSession
    public Uni<Settlement> find(UUID id) {
        return settlements.findById(id).onItem().ifNull().failWith(() -> ERRORS.notFound(
                ErrorReason.ERROR_REASON_SETTLEMENT_NOT_FOUND, "no settlement " + id,
                Map.of("settlement_id", id.toString())));
    }

    /** A settlement with its batches (and, if asked, their recipients and the skipped contributors). */
    @WithSession
    public Uni<io.tribute.payout.v1.Settlement> describe(UUID id, boolean includeRecipients) {
        return find(id).chain(settlement -> batches.batchesOf(id).chain(stored -> {
            Uni<List<io.tribute.payout.v1.Batch>> mapped = Uni.createFrom().item(new ArrayList<>());
            for (BatchRepository.StoredBatch batch : stored) {
                mapped = mapped.chain(list -> (includeRecipients ? batches.recipientsOf(batch.batchId())
                        : Uni.createFrom().item(List.<Recipient>of()))
                        .chain(recipients -> batches.replacedOf(batch.batchId(), batch.txHash())
                                .map(replaced -> {
                                    list.add(SettlementMapper.toProto(batch, recipients, replaced));
                                    return list;
                                })));
            }
            Uni<List<Skipped>> skipped = includeRecipients ? batches.skippedOf(id)
                    : Uni.createFrom().item(List.of());
            return mapped.chain(list -> skipped.map(skips -> {
                var proto = SettlementMapper.toProto(settlement).toBuilder().addAllBatches(list);
                skips.forEach(skip -> proto.addSkippedContributors(SettlementMapper.toProto(skip)));
                return proto.build();
            }));
        }));
    }

    /** Settlements newest first, by currency and states, one page (default 50, at most 500). */
    @WithSession
    public Uni<io.tribute.payout.v1.ListSettlementsResponse> list(io.tribute.payout.v1.ListSettlementsRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(request.getPageSize() >= 0, "page_size", "must not be negative")
                .require(request.getCurrency().isEmpty() || Currencies.isCaip19(request.getCurrency()), "currency",
                        "must be a CAIP-19 asset id");
        List<Settlement.State> states = new ArrayList<>();
        for (int value : request.getStatesValueList()) {
            var state = io.tribute.payout.v1.SettlementState.forNumber(value);
            if (state == null || state == io.tribute.payout.v1.SettlementState.SETTLEMENT_STATE_UNSPECIFIED) {
                violations.add("states", "must be settlement states");
            } else {
                states.add(Settlement.State.valueOf(state.name().substring("SETTLEMENT_STATE_".length())));
            }
        }
        violations.throwIfAny(ERRORS);
        String filters = "currency=" + request.getCurrency() + ";states=" + states.stream().sorted().toList();
        UUID before = PAGE_TOKENS.decodeId(request.getPageToken(), filters);
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
        List<String> conditions = new ArrayList<>();
        Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        if (!request.getCurrency().isEmpty()) {
            conditions.add("currency = :currency");
            parameters.put("currency", request.getCurrency());
        }
        if (!states.isEmpty()) {
            conditions.add("state in :states");
            parameters.put("states", states);
        }
        if (before != null) {
            conditions.add("id < :before");
            parameters.put("before", before);
        }
        String query = conditions.isEmpty() ? "order by id desc"
                : String.join(" and ", conditions) + " order by id desc";
        return settlements.find(query, parameters).page(0, size + 1).list().map(page -> {
            var response = io.tribute.payout.v1.ListSettlementsResponse.newBuilder();
            page.stream().limit(size).forEach(settlement -> response.addSettlements(SettlementMapper.toProto(settlement)));
            if (page.size() > size) {
                response.setNextPageToken(PAGE_TOKENS.encode(filters, page.get(size - 1).id));
            }
            return response.build();
        });
    }

    /** What the peers said: contributors' payout accounts, and the attribution log's latest checkpoint. */
    private record PeerFacts(Map<UUID, String> accounts, LogCheckpoint checkpoint,
            BatchGasPlanner.BatchPlan batchPlan) {

        PeerFacts(Map<UUID, String> accounts, LogCheckpoint checkpoint) {
            this(accounts, checkpoint, null);
        }
    }

    /** The contributors paid (with a wallet on this chain, within the settlement's limit) and those skipped. */
    private record Selection(List<Recipient> recipients, List<Skipped> skipped) {
    }

    private Selection select(List<Payable> payables, PeerFacts facts) {
        List<Recipient> recipients = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        String chainPrefix = settings.chainId() + ":";
        for (Payable payable : payables) {
            String account = facts.accounts().get(payable.contributorId());
            if (account == null) {
                skipped.add(new Skipped(payable.contributorId(), payable.amount(), "NO_WALLET"));
            } else if (!account.startsWith(chainPrefix)) {
                skipped.add(new Skipped(payable.contributorId(), payable.amount(), "WALLET_CHAIN_MISMATCH"));
            } else if (recipients.size() >= settings.maxRecipientsPerSettlement()) {
                skipped.add(new Skipped(payable.contributorId(), payable.amount(), "RECIPIENT_LIMIT"));
            } else {
                recipients.add(new Recipient(payable.contributorId(), account, payable.amount()));
            }
        }
        return new Selection(recipients, skipped);
    }

    private static String checkpointRoot(LogCheckpoint checkpoint) {
        return "0x" + (checkpoint == null || checkpoint.rootHash() == null ? "0".repeat(64) : checkpoint.rootHash());
    }

    private Uni<CreateSettlementResponse> plan(CreateSettlementRequest request, BigInteger minimum,
            PeerFacts facts) {
        String currency = request.getCurrency();
        return settlements.findOpen(currency).chain(open -> {
            if (open != null) {
                throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_SETTLEMENT_IN_PROGRESS,
                        "settlement " + open.id + " of " + currency + " is not finished",
                        Map.of("settlement_id", open.id.toString()));
            }
            return ledger.payablesAtLeast(currency, minimum);
        }).chain(payables -> persistPlan(request, minimum, payables, facts))
                .map(settlement -> CreateSettlementResponse.newBuilder()
                        .setSettlement(SettlementMapper.toProto(settlement))
                        .build());
    }

    private Uni<Settlement> persistPlan(CreateSettlementRequest request, BigInteger minimum, List<Payable> payables,
            PeerFacts facts) {
        OffsetDateTime now = now();
        Settlement settlement = newSettlement(request, minimum, now);
        Selection selection = select(payables, facts);
        List<Recipient> recipients = selection.recipients();
        List<Skipped> skipped = selection.skipped();
        List<List<Recipient>> planned = recipients.isEmpty() ? List.of() : (facts.batchPlan() != null
                ? facts.batchPlan() : gasPlanner.fallbackPlan(settlement.maxRecipientsPerBatch)).partition(recipients);
        settlement.recipientCount = recipients.size();
        settlement.batchCount = planned.size();
        settlement.totalAmount = sum(recipients.stream().map(Recipient::amount).toList());
        settlement.skippedCount = skipped.size();
        settlement.skippedAmount = sum(skipped.stream().map(Skipped::amount).toList());
        if (!planned.isEmpty()) {
            settlement.state = Settlement.State.PLANNED;
            settlement.finishedAt = null;
            settlement.contract = settings.contractAddress()
                    .map(address -> settings.chainId() + ":" + address.toLowerCase(java.util.Locale.ROOT))
                    .orElseThrow(() -> ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CURRENCY_NOT_SUPPORTED,
                            "no TributePayouts contract is configured", Map.of()));
            settlement.checkpointTreeSize = facts.checkpoint().treeSize();
            settlement.checkpointRoot = facts.checkpoint().rootHash();
        }
        String root = checkpointRoot(facts.checkpoint());
        Uni<Void> chain = settlements.persistAndFlush(settlement).replaceWithVoid()
                .chain(() -> batches.insertSkipped(settlement.id, skipped));
        for (int index = 0; index < planned.size(); index++) {
            int batchIndex = index;
            String batchId = batchId(settlement.id, batchIndex);
            List<Recipient> batch = planned.get(index);
            chain = chain
                    .chain(() -> batches.insertBatch(settlement.id, batchId, batchIndex, settlement.currency, root,
                            batch, now))
                    .chain(() -> journals.insert(reserveJournal(settlement, batchId, request.getRequestId(), batch,
                            now)));
        }
        return chain.replaceWith(settlement);
    }

    /** The most recipients one batch may carry by the request (the gas budget may allow fewer). */
    private int requestedPerBatch(CreateSettlementRequest request) {
        return request.getMaxRecipientsPerBatch() == 0 ? settings.defaultRecipientsPerBatch()
                : request.getMaxRecipientsPerBatch();
    }

    private static Journal reserveJournal(Settlement settlement, String batchId, String requestId,
            List<Recipient> recipients, OffsetDateTime now) {
        List<Journal.Entry> entries = new ArrayList<>();
        for (Recipient recipient : recipients) {
            entries.add(Journal.Entry.debit(Ids.newId(), Journal.Account.CONTRIBUTOR_PAYABLE,
                    recipient.contributorId(), recipient.amount()));
            entries.add(Journal.Entry.credit(Ids.newId(), Journal.Account.CONTRIBUTOR_IN_SETTLEMENT,
                    recipient.contributorId(), recipient.amount()));
        }
        return new Journal(Ids.newId(), Journal.Kind.SETTLEMENT_RESERVE, settlement.currency, now,
                new Journal.References(null, null, requestId, null, settlement.id, batchId, null), entries);
    }

    /** The batch id: fixed at planning, unique per settlement and index, never reused. */
    static String batchId(UUID settlementId, int index) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("tribute-batch:" + settlementId + ":" + index).getBytes(StandardCharsets.UTF_8));
            return "0x" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Settlement newSettlement(CreateSettlementRequest request, BigInteger minimum, OffsetDateTime now) {
        Settlement settlement = new Settlement();
        settlement.id = Ids.newId();
        settlement.requestId = request.getRequestId();
        settlement.currency = request.getCurrency();
        settlement.minimumAmount = minimum;
        settlement.maxRecipientsPerBatch = requestedPerBatch(request);
        settlement.state = Settlement.State.SETTLED;
        settlement.chainId = settings.chainId();
        settlement.totalAmount = BigInteger.ZERO;
        settlement.paidAmount = BigInteger.ZERO;
        settlement.skippedAmount = BigInteger.ZERO;
        settlement.createdAt = now;
        settlement.updatedAt = now;
        settlement.finishedAt = now;
        return settlement;
    }

    private static BigInteger sum(List<BigInteger> amounts) {
        return amounts.stream().reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Checks the whole request and returns its minimum amount. */
    private BigInteger validate(CreateSettlementRequest request) {
        BigInteger minimum = Amounts.parseOrNull(request.getMinimumAmount());
        new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID")
                .require(Currencies.isCaip19(request.getCurrency()), "currency", "must be a CAIP-19 asset id")
                .require(minimum != null, "minimum_amount",
                        "must be a decimal string of base units from 0 to 2^256-1")
                .require(Integer.toUnsignedLong(request.getMaxRecipientsPerBatch()) <= settings.maxRecipientsPerBatch(),
                        "max_recipients_per_batch", "must be at most " + settings.maxRecipientsPerBatch())
                .throwIfAny(ERRORS);
        if (!settings.currencies().contains(request.getCurrency())) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CURRENCY_NOT_SUPPORTED,
                    request.getCurrency() + " is not settled here; supported: " + settings.currencies(),
                    Map.of("currency", request.getCurrency()));
        }
        return minimum;
    }
}
