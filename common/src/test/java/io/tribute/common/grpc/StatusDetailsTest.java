package io.tribute.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusDetailsTest {

    private final ApiErrors errors = new ApiErrors("test.tribute.io");

    @Test
    void readsReasonDomainMetadataAndEveryFieldViolation() {
        StatusDetails details = StatusDetails.of(errors.invalidArgument(List.of(
                FieldViolations.violation("asset.sha256", "must be 64 lowercase hex digits"),
                FieldViolations.violation("asset.kind", "must be set"))));

        assertThat(details.code()).isEqualTo(Code.INVALID_ARGUMENT.getNumber());
        assertThat(details.reason()).isEqualTo(ApiErrors.INVALID_FIELD);
        assertThat(details.errorInfo().getDomain()).isEqualTo("test.tribute.io");
        assertThat(details.fieldViolations()).extracting(v -> v.getField())
                .containsExactly("asset.sha256", "asset.kind");
    }

    @Test
    void readsMetadataOfAStatusWithoutViolations() {
        StatusDetails details = StatusDetails.of(errors.status(Code.NOT_FOUND, "ASSET_NOT_FOUND", "no such asset",
                Map.of("asset_id", "0190")));

        assertThat(details.code()).isEqualTo(Code.NOT_FOUND.getNumber());
        assertThat(details.message()).isEqualTo("no such asset");
        assertThat(details.errorInfo().getMetadataMap()).containsEntry("asset_id", "0190");
        assertThat(details.fieldViolations()).isEmpty();
    }

    @Test
    void aPlainStatusKeepsItsCodeAndDescription() {
        StatusDetails details = StatusDetails.of(new StatusRuntimeException(Status.UNAVAILABLE.withDescription("down")));

        assertThat(details.code()).isEqualTo(Code.UNAVAILABLE.getNumber());
        assertThat(details.message()).isEqualTo("down");
        assertThat(details.reason()).isEmpty();
    }
}
