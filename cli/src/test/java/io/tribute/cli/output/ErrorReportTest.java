package io.tribute.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.tribute.cli.ExitCodes;
import org.junit.jupiter.api.Test;

/** gRPC failures rendered for an operator: reason, domain, metadata and every field violation. */
class ErrorReportTest {

    @Test
    void invalidArgumentShowsReasonDomainAndEveryFieldViolation() {
        StatusRuntimeException exception = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage("the asset is invalid")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("INVALID_FIELD").setDomain("registry.tribute.io")
                        .putMetadata("field", "asset.creators[1].share_ppm").build()))
                .addDetails(Any.pack(BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("asset.sha256")
                                .setDescription("must be 64 lowercase hex digits"))
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("asset.creators[1].share_ppm")
                                .setDescription("creator shares sum to 999,999 ppm, not 1,000,000"))
                        .build()))
                .build());

        ErrorReport report = ErrorReport.of(exception);

        assertThat(report.lines()).containsExactly(
                "error: INVALID_ARGUMENT INVALID_FIELD (registry.tribute.io): the asset is invalid",
                "  field: asset.creators[1].share_ppm",
                "  invalid asset.sha256: must be 64 lowercase hex digits",
                "  invalid asset.creators[1].share_ppm: creator shares sum to 999,999 ppm, not 1,000,000");
        assertThat(ExitCodes.of(report.code())).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    }

    @Test
    void statusWithoutDetailsIsStillReadable() {
        ErrorReport report = ErrorReport.of(Status.NOT_FOUND.withDescription("no attribution for this output")
                .asRuntimeException());

        assertThat(report.lines()).containsExactly("error: NOT_FOUND: no attribution for this output");
    }

    @Test
    void statusCodesMapToTheDocumentedExitCodes() {
        assertThat(ExitCodes.of(Status.Code.NOT_FOUND)).isEqualTo(3);
        assertThat(ExitCodes.of(Status.Code.INVALID_ARGUMENT)).isEqualTo(4);
        assertThat(ExitCodes.of(Status.Code.UNAVAILABLE)).isEqualTo(5);
        assertThat(ExitCodes.of(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(5);
        assertThat(ExitCodes.of(Status.Code.FAILED_PRECONDITION)).isEqualTo(1);
        assertThat(ExitCodes.of(Status.Code.INTERNAL)).isEqualTo(1);
    }
}
