package io.tribute.payout.service;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.smallrye.mutiny.Multi;
import io.tribute.common.v1.ErrorReason;
import io.tribute.common.v1.ItemError;
import io.tribute.payout.v1.RecordRevenuesRequest;
import io.tribute.payout.v1.RecordRevenuesResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RecordRevenues: each item recorded as RecordRevenue would, answered in request order; a failed item is reported
 * in its response and the stream goes on. Items are recorded one after another (each in its own transaction).
 */
@ApplicationScoped
public class RevenueStreams {

    private static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";

    private final LedgerService ledger;

    public RevenueStreams(LedgerService ledger) {
        this.ledger = ledger;
    }

    public Multi<RecordRevenuesResponse> record(Multi<RecordRevenuesRequest> requests) {
        AtomicLong index = new AtomicLong();
        return requests.onItem().transformToUniAndConcatenate(message -> {
            if (!message.hasItem()) {
                throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_STREAM_PROTOCOL_VIOLATION,
                        "every RecordRevenues message must carry an item", Map.of());
            }
            long position = index.getAndIncrement();
            var response = RecordRevenuesResponse.newBuilder().setIndex(position)
                    .setRequestId(message.getItem().getRequestId());
            return io.smallrye.mutiny.Uni.createFrom().deferred(() -> ledger.record(message.getItem()))
                    .map(result -> response.setResult(result).build())
                    .onFailure(RevenueStreams::isItemFailure)
                    .recoverWithItem(failure -> response.setError(itemError((StatusRuntimeException) failure))
                            .build());
        });
    }

    /** An item's own failure; a database outage ends the stream instead. */
    private static boolean isItemFailure(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException status)) {
            return false;
        }
        ItemError error = itemError(status);
        return !DATABASE_UNAVAILABLE.equals(error.getReason());
    }

    static ItemError itemError(StatusRuntimeException error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        ItemError.Builder item = ItemError.newBuilder()
                .setCode(status == null ? error.getStatus().getCode().value() : status.getCode())
                .setMessage(status == null ? String.valueOf(error.getStatus().getDescription()) : status.getMessage());
        if (status != null) {
            for (var detail : status.getDetailsList()) {
                try {
                    if (detail.is(ErrorInfo.class)) {
                        ErrorInfo info = detail.unpack(ErrorInfo.class);
                        item.setReason(info.getReason()).setDomain(info.getDomain())
                                .putAllMetadata(info.getMetadataMap());
                    } else if (detail.is(BadRequest.class)) {
                        for (var violation : detail.unpack(BadRequest.class).getFieldViolationsList()) {
                            item.addFieldViolations(io.tribute.common.v1.FieldViolation.newBuilder()
                                    .setField(violation.getField()).setDescription(violation.getDescription()));
                        }
                    }
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return item.build();
    }
}
