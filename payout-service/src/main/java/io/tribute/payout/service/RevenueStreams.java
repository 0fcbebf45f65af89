package io.tribute.payout.service;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.tribute.common.grpc.StatusDetails;
import io.tribute.common.v1.ErrorReason;
import io.tribute.common.v1.FieldViolation;
import io.tribute.common.v1.ItemError;
import io.tribute.payout.v1.RecordRevenuesRequest;
import io.tribute.payout.v1.RecordRevenuesResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RecordRevenues: each item recorded as RecordRevenue would, answered in request order; a failed item is reported
 * in its response and the stream goes on. Items are recorded one after another, each posted as a RecordRevenue call
 * is (with whatever other calls are waiting: {@link RevenuePoster}).
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
        return !DATABASE_UNAVAILABLE.equals(StatusDetails.of(status).reason());
    }

    static ItemError itemError(StatusRuntimeException error) {
        StatusDetails details = StatusDetails.of(error);
        ItemError.Builder item = ItemError.newBuilder().setCode(details.code()).setMessage(details.message())
                .setReason(details.reason()).setDomain(details.errorInfo().getDomain())
                .putAllMetadata(details.errorInfo().getMetadataMap());
        details.fieldViolations().forEach(violation -> item.addFieldViolations(FieldViolation.newBuilder()
                .setField(violation.getField()).setDescription(violation.getDescription())));
        return item.build();
    }
}
