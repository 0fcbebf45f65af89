package io.tribute.common.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * What an error status carries, read back from the exception: code, message, ErrorInfo (the default instance when
 * absent) and BadRequest field violations. Streaming RPCs copy it into an item's error.
 */
public record StatusDetails(int code, String message, ErrorInfo errorInfo,
        List<BadRequest.FieldViolation> fieldViolations) {

    public static StatusDetails of(StatusRuntimeException error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return new StatusDetails(error.getStatus().getCode().value(),
                    String.valueOf(error.getStatus().getDescription()), ErrorInfo.getDefaultInstance(), List.of());
        }
        ErrorInfo info = ErrorInfo.getDefaultInstance();
        List<BadRequest.FieldViolation> violations = new ArrayList<>();
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                info = unpack(detail, ErrorInfo.class);
            } else if (detail.is(BadRequest.class)) {
                violations.addAll(unpack(detail, BadRequest.class).getFieldViolationsList());
            }
        }
        return new StatusDetails(status.getCode(), status.getMessage(), info, List.copyOf(violations));
    }

    /** The ErrorInfo reason, or "" when the status has none. */
    public String reason() {
        return errorInfo.getReason();
    }

    private static <T extends Message> T unpack(Any detail, Class<T> type) {
        try {
            return detail.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an error detail of our own is unreadable", e);
        }
    }
}
