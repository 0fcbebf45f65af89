package io.tribute.common.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;

/**
 * Builds the errors one service answers with: a gRPC status carrying {@code google.rpc.ErrorInfo}
 * (reason + this service's domain) and, for bad input, {@code google.rpc.BadRequest} field violations.
 *
 * <p>Reasons are values of the contracts' {@code tribute.common.v1.ErrorReason}; on the wire a reason is
 * the value's name without its {@code ERROR_REASON_} prefix.
 */
public final class ApiErrors {

    /** Reasons this library raises itself; each is a value of {@code tribute.common.v1.ErrorReason}. */
    public static final String INVALID_FIELD = "INVALID_FIELD";
    public static final String REQUEST_ID_REUSED = "REQUEST_ID_REUSED";
    public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final String REASON_PREFIX = "ERROR_REASON_";

    private final String domain;

    public ApiErrors(String domain) {
        this.domain = domain;
    }

    /** The errors of a service named {@code <name>-service}: domain {@code <name>.tribute.io}. */
    public static ApiErrors forApplication(String applicationName) {
        return new ApiErrors(applicationName.replaceFirst("-service$", "") + ".tribute.io");
    }

    public String domain() {
        return domain;
    }

    public static String reason(ProtocolMessageEnum reason) {
        String name = reason.getValueDescriptor().getName();
        return name.startsWith(REASON_PREFIX) ? name.substring(REASON_PREFIX.length()) : name;
    }

    public StatusRuntimeException invalidArgument(List<BadRequest.FieldViolation> violations) {
        String message = violations.size() == 1
                ? violations.getFirst().getField() + ": " + violations.getFirst().getDescription()
                : violations.size() + " invalid fields: " + violations.stream()
                        .map(BadRequest.FieldViolation::getField).distinct().toList();
        return build(Code.INVALID_ARGUMENT, INVALID_FIELD, message, Map.of(),
                BadRequest.newBuilder().addAllFieldViolations(violations).build());
    }

    public StatusRuntimeException invalidArgument(String field, String description) {
        return invalidArgument(List.of(FieldViolations.violation(field, description)));
    }

    public StatusRuntimeException notFound(ProtocolMessageEnum reason, String message, Map<String, String> metadata) {
        return build(Code.NOT_FOUND, reason(reason), message, metadata, null);
    }

    public StatusRuntimeException alreadyExists(ProtocolMessageEnum reason, String message,
            Map<String, String> metadata) {
        return build(Code.ALREADY_EXISTS, reason(reason), message, metadata, null);
    }

    public StatusRuntimeException failedPrecondition(ProtocolMessageEnum reason, String message,
            Map<String, String> metadata) {
        return build(Code.FAILED_PRECONDITION, reason(reason), message, metadata, null);
    }

    public StatusRuntimeException status(Code code, ProtocolMessageEnum reason, String message,
            Map<String, String> metadata) {
        return status(code, reason(reason), message, metadata);
    }

    /** A status with a reason given by its wire name (without the {@code ERROR_REASON_} prefix). */
    public StatusRuntimeException status(Code code, String reason, String message, Map<String, String> metadata) {
        return build(code, reason, message, metadata, null);
    }

    public StatusRuntimeException requestIdReused(String requestId) {
        return build(Code.ALREADY_EXISTS, REQUEST_ID_REUSED, "request_id was already used for a different request",
                Map.of("request_id", requestId), null);
    }

    public StatusRuntimeException databaseUnavailable() {
        return build(Code.UNAVAILABLE, DATABASE_UNAVAILABLE, "storage temporarily unavailable, retry later",
                Map.of(), null);
    }

    public StatusRuntimeException internal() {
        return build(Code.INTERNAL, INTERNAL_ERROR, "internal error", Map.of(), null);
    }

    private StatusRuntimeException build(Code code, String reason, String message, Map<String, String> metadata,
            BadRequest badRequest) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(reason)
                        .setDomain(domain)
                        .putAllMetadata(metadata)
                        .build()));
        if (badRequest != null) {
            status.addDetails(Any.pack(badRequest));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
