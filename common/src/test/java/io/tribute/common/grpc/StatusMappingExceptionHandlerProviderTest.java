package io.tribute.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StatusMappingExceptionHandlerProviderTest {

    private final ApiErrors errors = new ApiErrors("test.tribute.io");
    private final StatusMappingExceptionHandlerProvider provider =
            new StatusMappingExceptionHandlerProvider("test-service");

    @Test
    void serviceErrorsKeepTheirStatusAndDetailsEvenWhenWrapped() throws Exception {
        var refused = new FieldViolations().add("display_name", "must not be empty");
        StatusException status = provider.toStatus(
                new CompletionException(errors.invalidArgument(refused.asList())));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status details = StatusProto.fromThrowable(status);
        assertThat(details.getDetails(0).unpack(ErrorInfo.class).getDomain()).isEqualTo("test.tribute.io");
        assertThat(details.getDetails(1).unpack(BadRequest.class).getFieldViolations(0).getField())
                .isEqualTo("display_name");
    }

    @Test
    void unexpectedFailuresBecomeInternalWithoutTheirMessage() {
        StatusException status = provider.toStatus(
                new IllegalStateException("secret detail at row 42"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).doesNotContain("secret");
    }

    @Test
    void lostConnectionsBecomeUnavailable() throws Exception {
        StatusException status = provider.toStatus(
                new RuntimeException(new ConnectException("Connection refused")));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(StatusProto.fromThrowable(status).getDetails(0).unpack(ErrorInfo.class))
                .returns("DATABASE_UNAVAILABLE", ErrorInfo::getReason)
                .returns("test.tribute.io", ErrorInfo::getDomain);
    }

    @Test
    void aBrokenConnectionBecomesUnavailable() {
        for (IOException broken : List.of(new IOException("Broken pipe"), new SocketException("Connection reset"))) {
            StatusException status = provider.toStatus(new CompletionException(broken));

            assertThat(status.getStatus().getCode()).as(broken.getMessage()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void aDatabaseShuttingDownOrStartingBecomesUnavailable() {
        for (String sqlState : new String[] {"57P01", "57P03", "08006"}) {
            StatusException status = provider.toStatus(new CompletionException(
                    databaseError(sqlState)));

            assertThat(status.getStatus().getCode()).as(sqlState).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void otherDatabaseErrorsStayInternal() {
        StatusException status = provider.toStatus(databaseError("22012"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    private static DatabaseException databaseError(String sqlState) {
        return new DatabaseException("database error " + sqlState, 0, sqlState) {
        };
    }
}
