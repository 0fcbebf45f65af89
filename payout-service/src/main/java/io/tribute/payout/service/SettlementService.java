package io.tribute.payout.service;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import io.grpc.Status;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import io.tribute.payout.Settlement;
import io.tribute.payout.mapping.SettlementMapper;
import io.tribute.payout.repository.LedgerRepository;
import io.tribute.payout.repository.SettlementRepository;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CreateSettlementResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Plans settlements of accrued balances and finds them; owns their validation and transactions. */
@ApplicationScoped
public class SettlementService {

    /** CAIP-19: {@code namespace:reference/asset_namespace:asset_reference}. */
    private static final Pattern CAIP_19 =
            Pattern.compile("[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}/[-a-z0-9]{3,8}:[-.%a-zA-Z0-9]{1,128}");

    private final SettlementRepository settlements;
    private final LedgerRepository ledger;
    private final IdempotentRequests idempotentRequests;
    private final PayoutSettings settings;

    public SettlementService(SettlementRepository settlements, LedgerRepository ledger,
            IdempotentRequests idempotentRequests, PayoutSettings settings) {
        this.settlements = settlements;
        this.ledger = ledger;
        this.idempotentRequests = idempotentRequests;
        this.settings = settings;
    }

    @WithTransaction
    public Uni<CreateSettlementResponse> create(CreateSettlementRequest request) {
        BigInteger minimum = validate(request);
        return idempotentRequests.once(ERRORS, "CreateSettlement", request.getRequestId(), request,
                CreateSettlementResponse.parser(), () -> plan(request, minimum));
    }

    @WithSession
    public Uni<Settlement> find(UUID id) {
        return settlements.findById(id).onItem().ifNull().failWith(() -> ERRORS.notFound(
                ErrorReason.ERROR_REASON_SETTLEMENT_NOT_FOUND, "no settlement " + id,
                Map.of("settlement_id", id.toString())));
    }

    private Uni<CreateSettlementResponse> plan(CreateSettlementRequest request, BigInteger minimum) {
        String currency = request.getCurrency();
        return settlements.findOpen(currency).chain(open -> {
            if (open != null) {
                throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_SETTLEMENT_IN_PROGRESS,
                        "settlement " + open.id + " of " + currency + " is not finished",
                        Map.of("settlement_id", open.id.toString()));
            }
            return ledger.payablesAtLeast(currency, minimum);
        }).chain(payables -> {
            if (!payables.isEmpty()) {
                // Paying on-chain (batches, signing, receipts) is the payout issue's work; until then no
                // settlement may claim to have paid anyone.
                throw Status.UNIMPLEMENTED
                        .withDescription("on-chain settlement of accrued balances is not available yet")
                        .asRuntimeException();
            }
            return settlements.persistAndFlush(settledWithNothingToPay(request, minimum));
        }).map(settlement -> CreateSettlementResponse.newBuilder()
                .setSettlement(SettlementMapper.toProto(settlement))
                .build());
    }

    private Settlement settledWithNothingToPay(CreateSettlementRequest request, BigInteger minimum) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Settlement settlement = new Settlement();
        settlement.id = Ids.newId();
        settlement.requestId = request.getRequestId();
        settlement.currency = request.getCurrency();
        settlement.minimumAmount = minimum;
        settlement.maxRecipientsPerBatch = request.getMaxRecipientsPerBatch() == 0
                ? settings.defaultRecipientsPerBatch()
                : request.getMaxRecipientsPerBatch();
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

    /** Checks the whole request and returns its minimum amount. */
    private BigInteger validate(CreateSettlementRequest request) {
        BigInteger minimum = Amounts.parseOrNull(request.getMinimumAmount());
        new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID")
                .require(CAIP_19.matcher(request.getCurrency()).matches(), "currency", "must be a CAIP-19 asset id")
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
