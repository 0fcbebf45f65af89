package io.tribute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the error model every Tribute service follows: a status code plus google.rpc details. */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    /** Runs {@code call}, which must fail with {@code code} and an ErrorInfo of {@code domain} and {@code reason}. */
    public static ErrorInfo assertFails(ThrowingCallable call, Status.Code code, String domain, String reason) {
        Throwable failure = catchThrowable(call);
        assertThat(failure).as("the call should have failed with %s %s", code, reason).isNotNull();
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(code);
        ErrorInfo info = detail(failure, ErrorInfo.class);
        assertThat(info.getDomain()).isEqualTo(domain);
        assertThat(info.getReason()).isEqualTo(reason);
        return info;
    }

    /** The fields named by the BadRequest detail of an {@code INVALID_ARGUMENT} failure of {@code call}. */
    public static List<String> violatedFields(ThrowingCallable call, String domain) {
        Throwable failure = catchThrowable(call);
        assertFails(() -> {
            throw failure;
        }, Status.Code.INVALID_ARGUMENT, domain, "INVALID_FIELD");
        return detail(failure, BadRequest.class).getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField)
                .toList();
    }

    private static <T extends Message> T detail(Throwable failure, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("status details of %s", failure).isNotNull();
        for (Any detail : status.getDetailsList()) {
            if (detail.is(type)) {
                try {
                    return detail.unpack(type);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the details of " + failure);
    }
}
