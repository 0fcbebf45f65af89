package io.tribute.payout.grpc;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.payout.service.LedgerService;
import io.tribute.payout.service.Reconciler;
import io.tribute.payout.service.SettlementWatcher;
import io.tribute.payout.v1.ListSettlementsRequest;
import io.tribute.payout.v1.ListSettlementsResponse;
import io.tribute.payout.v1.ReconcileRequest;
import io.tribute.payout.v1.ReconcileResponse;
import io.tribute.payout.v1.WatchSettlementRequest;
import io.tribute.payout.v1.WatchSettlementResponse;
import io.tribute.payout.service.RevenueStreams;
import io.tribute.payout.service.SettlementService;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CreateSettlementResponse;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetBalanceResponse;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.GetSettlementResponse;
import io.tribute.payout.v1.ListJournalEntriesRequest;
import io.tribute.payout.v1.ListJournalEntriesResponse;
import io.tribute.payout.v1.MutinyPayoutServiceGrpc;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.payout.v1.RecordRevenuesRequest;
import io.tribute.payout.v1.RecordRevenuesResponse;
import java.util.UUID;

/** The gRPC face of payouts: maps requests to the services and their results back. */
@GrpcService
public class PayoutGrpcService extends MutinyPayoutServiceGrpc.PayoutServiceImplBase {

    private final SettlementService settlements;
    private final LedgerService ledger;
    private final RevenueStreams revenueStreams;
    private final SettlementWatcher watcher;
    private final Reconciler reconciler;

    public PayoutGrpcService(SettlementService settlements, LedgerService ledger, RevenueStreams revenueStreams,
            SettlementWatcher watcher, Reconciler reconciler) {
        this.settlements = settlements;
        this.ledger = ledger;
        this.revenueStreams = revenueStreams;
        this.watcher = watcher;
        this.reconciler = reconciler;
    }

    @Override
    public Uni<ListSettlementsResponse> listSettlements(ListSettlementsRequest request) {
        return settlements.list(request);
    }

    @Override
    public Multi<WatchSettlementResponse> watchSettlement(WatchSettlementRequest request) {
        UUID id = Ids.parseOrNull(request.getSettlementId());
        if (id == null) {
            throw ERRORS.invalidArgument("settlement_id", "must be a UUID");
        }
        return watcher.watch(id);
    }

    @Override
    public Uni<ReconcileResponse> reconcile(ReconcileRequest request) {
        return reconciler.reconcile(request);
    }

    @Override
    public Uni<RecordRevenueResponse> recordRevenue(RecordRevenueRequest request) {
        return ledger.record(request);
    }

    @Override
    public Multi<RecordRevenuesResponse> recordRevenues(Multi<RecordRevenuesRequest> requests) {
        return revenueStreams.record(requests);
    }

    @Override
    public Uni<GetBalanceResponse> getBalance(GetBalanceRequest request) {
        return ledger.balance(request);
    }

    @Override
    public Uni<ListJournalEntriesResponse> listJournalEntries(ListJournalEntriesRequest request) {
        return ledger.list(request);
    }

    @Override
    public Uni<CreateSettlementResponse> createSettlement(CreateSettlementRequest request) {
        return settlements.create(request);
    }

    @Override
    public Uni<GetSettlementResponse> getSettlement(GetSettlementRequest request) {
        UUID id = Ids.parseOrNull(request.getSettlementId());
        if (id == null) {
            throw ERRORS.invalidArgument("settlement_id", "must be a UUID");
        }
        return settlements.describe(id, request.getIncludeRecipients())
                .map(settlement -> GetSettlementResponse.newBuilder().setSettlement(settlement).build());
    }
}
