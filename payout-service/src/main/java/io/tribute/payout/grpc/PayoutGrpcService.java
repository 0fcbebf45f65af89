package io.tribute.payout.grpc;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.payout.mapping.SettlementMapper;
import io.tribute.payout.service.SettlementService;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CreateSettlementResponse;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.GetSettlementResponse;
import io.tribute.payout.v1.MutinyPayoutServiceGrpc;
import java.util.UUID;

/** The gRPC face of payouts: maps requests to the services and their results back. */
@GrpcService
public class PayoutGrpcService extends MutinyPayoutServiceGrpc.PayoutServiceImplBase {

    private final SettlementService settlements;

    public PayoutGrpcService(SettlementService settlements) {
        this.settlements = settlements;
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
        return settlements.find(id).map(settlement -> GetSettlementResponse.newBuilder()
                .setSettlement(SettlementMapper.toProto(settlement))
                .build());
    }
}
