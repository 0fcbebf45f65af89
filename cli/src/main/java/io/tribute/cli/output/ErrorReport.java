package io.tribute.cli.output;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A failed gRPC call as an operator reads it: the status code, the ErrorInfo reason, domain and metadata, and
 * one line per field violation. Never a stack trace.
 */
public record ErrorReport(Status.Code code, String message, String reason, String domain,
        Map<String, String> metadata, List<BadRequest.FieldViolation> violations) {

    public static ErrorReport of(StatusRuntimeException exception) {
        Status status = exception.getStatus();
        String reason = "";
        String domain = "";
        Map<String, String> metadata = new TreeMap<>();
        List<BadRequest.FieldViolation> violations = new ArrayList<>();
        com.google.rpc.Status details = StatusProto.fromThrowable(exception);
        if (details != null) {
            for (Any detail : details.getDetailsList()) {
                try {
                    if (detail.is(ErrorInfo.class)) {
                        ErrorInfo info = detail.unpack(ErrorInfo.class);
                        reason = info.getReason();
                        domain = info.getDomain();
                        metadata.putAll(info.getMetadataMap());
                    } else if (detail.is(BadRequest.class)) {
                        violations.addAll(detail.unpack(BadRequest.class).getFieldViolationsList());
                    }
                } catch (InvalidProtocolBufferException e) {
                    // A detail we cannot read does not hide the status itself.
                }
            }
        }
        String message = status.getDescription() != null ? status.getDescription() : describe(status);
        if (status.getCause() != null && status.getCause().getMessage() != null && !message.contains(status.getCause().getMessage())) {
            // Transport failures say "io exception"; the cause names what failed (e.g. a refused connection).
            message += " (" + status.getCause().getMessage() + ")";
        }
        return new ErrorReport(status.getCode(), message, reason, domain, Map.copyOf(metadata), List.copyOf(violations));
    }

    /** The report as lines: {@code error: CODE REASON (domain): message}, then metadata and violations. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder("error: ").append(code);
        if (!reason.isEmpty()) {
            head.append(' ').append(reason);
        }
        if (!domain.isEmpty()) {
            head.append(" (").append(domain).append(')');
        }
        lines.add(head.append(": ").append(message).toString());
        metadata.forEach((key, value) -> lines.add("  " + key + ": " + value));
        for (BadRequest.FieldViolation violation : violations) {
            lines.add("  invalid " + violation.getField() + ": " + violation.getDescription());
        }
        if (code == Status.Code.UNAVAILABLE && reason.isEmpty()) {
            lines.add("  is the suite running? start it with ./suite run");
        }
        return lines;
    }

    private static String describe(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE ? "the service did not answer" : "the call failed";
    }
}
