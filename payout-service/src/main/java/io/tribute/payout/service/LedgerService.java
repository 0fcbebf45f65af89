package io.tribute.payout.service;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;
import static io.tribute.payout.grpc.PayoutErrors.PAGE_TOKENS;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import io.tribute.payout.Journal;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.mapping.JournalMapper;
import io.tribute.payout.repository.JournalRepository;
import io.tribute.payout.repository.JournalRepository.AccountBalance;
import io.tribute.payout.repository.JournalRepository.EntryFilter;
import io.tribute.payout.repository.JournalRepository.StoredEntry;
import io.tribute.payout.repository.RevenueJournalRepository;
import io.tribute.payout.repository.RevenueJournalRepository.Posting;
import io.tribute.payout.repository.RevenueJournalRepository.StoredClaim;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetBalanceResponse;
import io.tribute.payout.v1.ListJournalEntriesRequest;
import io.tribute.payout.v1.ListJournalEntriesResponse;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/** Records revenue as balanced journals and answers balance and entry queries; owns their validation. */
@ApplicationScoped
public class LedgerService {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_EXTERNAL_REF = 256;
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1_000;
    static final String RECORD_REVENUE = "RecordRevenue";

    private final JournalRepository journals;
    private final AttributionShareCache attributions;
    private final RevenueJournalRepository revenueJournals;
    private final RevenuePoster poster;
    private final PayoutSettings settings;

    public LedgerService(JournalRepository journals, AttributionShareCache attributions,
            RevenueJournalRepository revenueJournals, RevenuePoster poster, PayoutSettings settings) {
        this.journals = journals;
        this.attributions = attributions;
        this.revenueJournals = revenueJournals;
        this.poster = poster;
        this.settings = settings;
    }

    /**
     * Validates, reads the attribution (outside the transaction: no database connection waits on a peer), then
     * posts the split once per request_id.
     */
    public Uni<RecordRevenueResponse> record(RecordRevenueRequest request) {
        BigInteger amount = validate(request);
        UUID attributionId = request.hasAttributionId() ? UUID.fromString(request.getAttributionId()) : null;
        return attributions.fetch(attributionId, request.getOutputSha256())
                .chain(shares -> post(request, amount, shares));
    }

    /**
     * Posts the split once per request_id: claim and journal go with the next group-committed batch
     * ({@link RevenuePoster}: one statement, one transaction for many calls); an id claimed before replays its
     * response, rebuilt from the journal it posted. No ORM session: the path runs on the reactive pool alone.
     */
    private Uni<RecordRevenueResponse> post(RecordRevenueRequest request, BigInteger amount,
            AttributedShares shares) {
        byte[] digest = IdempotentRequests.digest(RECORD_REVENUE, request);
        Journal journal = revenueJournal(request, amount, shares);
        return poster.post(new Posting(digest, journal))
                .chain(claimed -> claimed
                        ? Uni.createFrom().item(responseOf(journal))
                        : revenueJournals.findClaim(request.getRequestId())
                                .map(claim -> replay(request.getRequestId(), digest, claim)));
    }

    /**
     * The answer to a request whose id was claimed before, as {@link IdempotentRequests#replay} gives it: the first
     * response (stored, or rebuilt from the journal the claim posted: the same bytes), or REQUEST_ID_REUSED when the
     * request differs.
     */
    private static RecordRevenueResponse replay(String requestId, byte[] digest, StoredClaim claim) {
        byte[] response = claim.response();
        if (response == null && claim.journal() != null && RECORD_REVENUE.equals(claim.rpc())
                && Arrays.equals(digest, claim.requestDigest())) {
            return responseOf(claim.journal());
        }
        return IdempotentRequests.replay(ERRORS, RECORD_REVENUE, requestId, digest,
                new Object[] {claim.rpc(), claim.requestDigest(), response}, RecordRevenueResponse.parser());
    }

    private static RecordRevenueResponse responseOf(Journal journal) {
        return RecordRevenueResponse.newBuilder()
                .setJournal(JournalMapper.toProto(journal))
                .setFeeAmount(feeOf(journal).toString())
                .build();
    }

    @WithSession
    public Uni<GetBalanceResponse> balance(GetBalanceRequest request) {
        UUID contributor = null;
        FieldViolations violations = new FieldViolations();
        if (request.hasContributorId()) {
            contributor = Ids.parseOrNull(request.getContributorId());
            violations.require(contributor != null, "contributor_id", "must be a UUID");
        } else {
            violations.require(request.getFeeAccount(), "fee_account", "set contributor_id, or fee_account to true");
        }
        violations.require(request.getCurrency().isEmpty() || Currencies.isCaip19(request.getCurrency()),
                "currency", "must be a CAIP-19 asset id");
        violations.throwIfAny(ERRORS);
        return journals.balances(contributor, request.getCurrency().isEmpty() ? null : request.getCurrency())
                .map(LedgerService::toBalanceResponse);
    }

    @WithSession
    public Uni<ListJournalEntriesResponse> list(ListJournalEntriesRequest request) {
        FieldViolations violations = new FieldViolations();
        UUID contributor = optionalId(request.getContributorId(), "contributor_id", violations);
        UUID journal = optionalId(request.getJournalId(), "journal_id", violations);
        UUID attribution = optionalId(request.getAttributionId(), "attribution_id", violations);
        UUID settlement = optionalId(request.getSettlementId(), "settlement_id", violations);
        violations.require(request.getPageSize() >= 0, "page_size", "must not be negative");
        violations.require(request.getCurrency().isEmpty() || Currencies.isCaip19(request.getCurrency()),
                "currency", "must be a CAIP-19 asset id");
        OffsetDateTime from = request.getCreatedTimeRange().hasStartTime()
                ? toTime(request.getCreatedTimeRange().getStartTime()) : null;
        OffsetDateTime until = request.getCreatedTimeRange().hasEndTime()
                ? toTime(request.getCreatedTimeRange().getEndTime()) : null;
        violations.require(from == null || until == null || from.isBefore(until), "created_time_range",
                "start_time must be before end_time");
        violations.require(request.getAccountTypeValue() >= 0
                && io.tribute.payout.v1.AccountType.forNumber(request.getAccountTypeValue()) != null,
                "account_type", "must be an AccountType");
        violations.require(request.getJournalKindValue() >= 0
                && io.tribute.payout.v1.JournalKind.forNumber(request.getJournalKindValue()) != null,
                "journal_kind", "must be a JournalKind");
        violations.throwIfAny(ERRORS);

        EntryFilter filter = new EntryFilter(contributor, JournalMapper.account(request.getAccountType()),
                request.getCurrency().isEmpty() ? null : request.getCurrency(), journal,
                JournalMapper.kind(request.getJournalKind()), attribution, settlement,
                request.getRequestId().isEmpty() ? null : request.getRequestId(), from, until);
        String filterText = filter.toString();
        UUID after = PAGE_TOKENS.decodeId(request.getPageToken(), filterText);
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
        return journals.list(filter, after, size + 1).map(entries -> {
            var response = ListJournalEntriesResponse.newBuilder();
            List<StoredEntry> page = entries.subList(0, Math.min(size, entries.size()));
            page.forEach(entry -> response.addEntries(JournalMapper.toProto(entry)));
            if (entries.size() > size) {
                response.setNextPageToken(PAGE_TOKENS.encode(filterText, page.get(page.size() - 1).id()));
            }
            return response.build();
        });
    }

    private Journal revenueJournal(RecordRevenueRequest request, BigInteger amount, AttributedShares shares) {
        String currency = request.getAmount().getAsset();
        RevenueSplit split = RevenueSplit.of(amount, settings.platformFeePpm(), shares.sharePpmByContributor());
        // Ids for the journal, its revenue and fee entries and every part, drawn at once; those not needed are unused.
        Iterator<UUID> ids = Arrays.asList(Ids.newIds(3 + split.parts().size())).iterator();
        UUID journalId = ids.next();
        List<Journal.Entry> entries = new ArrayList<>(2 + split.parts().size());
        entries.add(Journal.Entry.debit(ids.next(), Journal.Account.REVENUE, null, amount));
        if (split.fee().signum() > 0) {
            entries.add(Journal.Entry.credit(ids.next(), Journal.Account.FEE, null, split.fee()));
        }
        split.parts().forEach((contributor, part) -> {
            if (part.signum() > 0) {
                entries.add(Journal.Entry.credit(ids.next(), Journal.Account.CONTRIBUTOR_PAYABLE,
                        UUID.fromString(contributor), part));
            }
        });
        Journal.References references = new Journal.References(shares.attributionId(), shares.outputSha256(),
                request.getRequestId(), request.getExternalRef().isEmpty() ? null : request.getExternalRef(),
                null, null, null);
        return new Journal(journalId, Journal.Kind.REVENUE, currency, now(), references, entries);
    }

    private static BigInteger feeOf(Journal journal) {
        return journal.entries().stream().filter(entry -> entry.account() == Journal.Account.FEE)
                .map(Journal.Entry::credit).findFirst().orElse(BigInteger.ZERO);
    }

    /** Checks the whole request and returns its amount. */
    private BigInteger validate(RecordRevenueRequest request) {
        BigInteger amount = Amounts.parseOrNull(request.getAmount().getAmount());
        FieldViolations violations = new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID");
        switch (request.getAttributionCase()) {
            case ATTRIBUTION_ID -> violations.require(Ids.parseOrNull(request.getAttributionId()) != null,
                    "attribution_id", "must be a UUID");
            case OUTPUT_SHA256 -> violations.require(SHA256.matcher(request.getOutputSha256()).matches(),
                    "output_sha256", "must be 64 lowercase hex digits");
            default -> violations.require(false, "attribution_id", "set attribution_id or output_sha256");
        }
        violations.require(Currencies.isCaip19(request.getAmount().getAsset()), "amount.asset",
                        "must be a CAIP-19 asset id")
                .require(amount != null && amount.signum() > 0, "amount.amount",
                        "must be a decimal string of base units from 1 to 2^256-1")
                .require(request.getExternalRef().length() <= MAX_EXTERNAL_REF, "external_ref",
                        "must be at most " + MAX_EXTERNAL_REF + " characters")
                .throwIfAny(ERRORS);
        if (!settings.currencies().contains(request.getAmount().getAsset())) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CURRENCY_NOT_SUPPORTED,
                    request.getAmount().getAsset() + " is not recorded here; supported: " + settings.currencies(),
                    Map.of("currency", request.getAmount().getAsset()));
        }
        return amount;
    }

    private static UUID optionalId(String text, String field, FieldViolations violations) {
        if (text.isEmpty()) {
            return null;
        }
        UUID id = Ids.parseOrNull(text);
        violations.require(id != null, field, "must be a UUID");
        return id;
    }

    private static GetBalanceResponse toBalanceResponse(List<AccountBalance> balances) {
        Map<String, CurrencyBalance.Builder> byCurrency = new TreeMap<>();
        OffsetDateTime asOf = null;
        for (AccountBalance balance : balances) {
            CurrencyBalance.Builder builder = byCurrency.computeIfAbsent(balance.currency(), currency ->
                    CurrencyBalance.newBuilder().setCurrency(currency).setAccrued("0").setInSettlement("0")
                            .setPaid("0"));
            String value = balance.balance().toString();
            switch (balance.account()) {
                case FEE, CONTRIBUTOR_PAYABLE -> builder.setAccrued(value);
                case CONTRIBUTOR_IN_SETTLEMENT -> builder.setInSettlement(value);
                case CONTRIBUTOR_PAID -> builder.setPaid(value);
                default -> { }
            }
            if (asOf == null || balance.asOf().isAfter(asOf)) {
                asOf = balance.asOf();
            }
        }
        var response = GetBalanceResponse.newBuilder();
        byCurrency.values().forEach(response::addBalances);
        if (asOf != null) {
            response.setAsOf(JournalMapper.timestamp(asOf));
        }
        return response.build();
    }

    private static OffsetDateTime toTime(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).atOffset(ZoneOffset.UTC);
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** The status a failed stream item reports (never UNKNOWN). */
    public static Status statusOf(Throwable failure) {
        return failure instanceof StatusRuntimeException status ? status.getStatus() : Status.INTERNAL;
    }
}
