package io.tribute.payout.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.payout.Settlement;
import io.tribute.payout.repository.BatchRepository.Recipient;
import io.tribute.payout.repository.BatchRepository.Skipped;
import io.tribute.payout.repository.BatchRepository.StoredBatch;
import io.tribute.payout.v1.AnchoredCheckpoint;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.BatchRecipient;
import io.tribute.payout.v1.BatchState;
import io.tribute.payout.v1.SettlementState;
import io.tribute.payout.v1.SkipReason;
import io.tribute.payout.v1.SkippedContributor;
import java.util.List;
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
        if (settlement.checkpointRoot != null) {
            proto.setCheckpoint(AnchoredCheckpoint.newBuilder()
                    .setTreeSize(settlement.checkpointTreeSize).setRootHash(settlement.checkpointRoot));
        }
        return proto.build();
    }

    /** A batch on the wire; recipients and replaced hashes only when given. */
    public static Batch toProto(StoredBatch batch, List<Recipient> recipients, List<String> replaced) {
        var proto = Batch.newBuilder()
                .setBatchId(batch.batchId())
                .setIndex(batch.index())
                .setState(BatchState.valueOf("BATCH_STATE_" + batch.state()))
                .setRecipientCount(batch.recipientCount())
                .setTotalAmount(batch.totalAmount().toString())
                .setCheckpointRoot(batch.checkpointRoot())
                .setConfirmations(batch.confirmations())
                .setCreditedRecipientCount(batch.creditedRecipientCount())
                .addAllReplacedTxHashes(replaced)
                .setCreatedAt(timestamp(batch.createdAt()))
                .setUpdatedAt(timestamp(batch.updatedAt()));
        if (batch.nonce() != null) {
            proto.setNonce(batch.nonce());
        }
        if (batch.txHash() != null) {
            proto.setTxHash(batch.txHash());
        }
        if (batch.gasLimit() != null) {
            proto.setGasLimit(batch.gasLimit().longValueExact())
                    .setMaxFeePerGas(batch.maxFeePerGas().toString())
                    .setMaxPriorityFeePerGas(batch.maxPriorityFeePerGas().toString());
        }
        if (batch.gasUsed() != null) {
            proto.setGasUsed(batch.gasUsed().longValueExact())
                    .setEffectiveGasPrice(batch.effectiveGasPrice().toString());
        }
        if (batch.blockNumber() != null) {
            proto.setBlockNumber(batch.blockNumber()).setBlockHash(batch.blockHash());
        }
        if (batch.failureDetail() != null) {
            proto.setFailureDetail(batch.failureDetail());
        }
        if (batch.broadcastAt() != null) {
            proto.setBroadcastAt(timestamp(batch.broadcastAt()));
        }
        if (batch.settledAt() != null) {
            proto.setSettledAt(timestamp(batch.settledAt()));
        }
        for (Recipient recipient : recipients) {
            proto.addRecipients(BatchRecipient.newBuilder()
                    .setContributorId(recipient.contributorId().toString())
                    .setPayoutAccount(recipient.payoutAccount())
                    .setAmount(recipient.amount().toString()));
        }
        return proto.build();
    }

    public static SkippedContributor toProto(Skipped skipped) {
        return SkippedContributor.newBuilder()
                .setContributorId(skipped.contributorId().toString())
                .setAmount(skipped.amount().toString())
                .setReason(SkipReason.valueOf("SKIP_REASON_" + skipped.reason()))
                .build();
    }

    private static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }
}
