package io.tribute.payout.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.payout.Settlement;
import io.tribute.payout.v1.SettlementState;
import java.time.OffsetDateTime;

/** Maps settlements between their stored and their wire form. */
public final class SettlementMapper {

    private SettlementMapper() {
    }

    public static io.tribute.payout.v1.Settlement toProto(Settlement settlement) {
        var proto = io.tribute.payout.v1.Settlement.newBuilder()
                .setId(settlement.id.toString())
                .setRequestId(settlement.requestId)
                .setCurrency(settlement.currency)
                .setMinimumAmount(settlement.minimumAmount.toString())
                .setMaxRecipientsPerBatch(settlement.maxRecipientsPerBatch)
                .setState(SettlementState.valueOf("SETTLEMENT_STATE_" + settlement.state.name()))
                .setChainId(settlement.chainId)
                .setTotalAmount(settlement.totalAmount.toString())
                .setPaidAmount(settlement.paidAmount.toString())
                .setRecipientCount(settlement.recipientCount)
                .setBatchCount(settlement.batchCount)
                .setSkippedContributorCount(settlement.skippedCount)
                .setSkippedAmount(settlement.skippedAmount.toString())
                .setCreatedAt(timestamp(settlement.createdAt))
                .setUpdatedAt(timestamp(settlement.updatedAt));
        if (settlement.contract != null) {
            proto.setContract(settlement.contract);
        }
        if (settlement.finishedAt != null) {
            proto.setFinishedAt(timestamp(settlement.finishedAt));
        }
        return proto.build();
    }

    private static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }
}
