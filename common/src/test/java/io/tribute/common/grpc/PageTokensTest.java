package io.tribute.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageTokensTest {

    private final PageTokens tokens = new PageTokens(new ApiErrors("test.tribute.io"));

    @Test
    void anIdTokenContinuesAfterItsId() {
        UUID last = UUID.randomUUID();
        assertThat(tokens.decodeId(tokens.encode("kind=MODEL", last), "kind=MODEL")).isEqualTo(last);
    }

    @Test
    void aPositionTokenContinuesAtItsPosition() {
        assertThat(tokens.decodePosition(tokens.encode("all", 1234L), "all", -1)).isEqualTo(1234L);
    }

    @Test
    void anEmptyTokenStartsAtTheBeginning() {
        assertThat(tokens.decodeId("", "f")).isNull();
        assertThat(tokens.decodePosition("", "f", -1)).isEqualTo(-1);
    }

    @Test
    void aTokenOfOtherFiltersIsRefused() {
        String token = tokens.encode("kind=MODEL", UUID.randomUUID());
        assertInvalidPageToken(() -> tokens.decodeId(token, "kind=DATA_ITEM"));
    }

    @Test
    void garbageAndForgedCursorsAreRefused() {
        assertInvalidPageToken(() -> tokens.decodeId("not base64!", "f"));
        assertInvalidPageToken(() -> tokens.decodeId(tokens.encode("f", "not-a-uuid"), "f"));
        assertInvalidPageToken(() -> tokens.decodePosition(tokens.encode("f", -5), "f", 0));
        assertInvalidPageToken(() -> tokens.decodePosition(tokens.encode("f", "x"), "f", 0));
    }

    private static void assertInvalidPageToken(Runnable decode) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            assertThat(status.getDetailsList()).anySatisfy(detail -> {
                try {
                    ErrorInfo info = detail.unpack(ErrorInfo.class);
                    assertThat(info.getReason()).isEqualTo(PageTokens.INVALID_PAGE_TOKEN);
                    assertThat(info.getMetadataMap()).containsEntry("field", "page_token");
                } catch (com.google.protobuf.InvalidProtocolBufferException notErrorInfo) {
                    throw new AssertionError(notErrorInfo);
                }
            });
        });
    }
}
