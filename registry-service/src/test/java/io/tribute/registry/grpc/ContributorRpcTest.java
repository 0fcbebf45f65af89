package io.tribute.registry.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.GetContributorRequest;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ContributorRpcTest {

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Test
    void createdContributorIsReadBackByIdAndByExternalRef() {
        Contributor created = registry.createContributor(create(UUID.randomUUID(), "Ada Lovelace", "user-ada"))
                .getContributor();

        assertThat(UUID.fromString(created.getId()).version()).isEqualTo(7);
        assertThat(created.getPayoutAccount()).isEmpty();
        assertThat(created.getCreatedAt().getSeconds()).isPositive();

        Contributor byId = registry.getContributor(GetContributorRequest.newBuilder()
                .setContributorId(created.getId()).build()).getContributor();
        Contributor byRef = registry.getContributor(GetContributorRequest.newBuilder()
                .setExternalRef("user-ada").build()).getContributor();
        assertThat(byId).isEqualTo(created);
        assertThat(byRef).isEqualTo(created);
        assertThat(byId.getDisplayName()).isEqualTo("Ada Lovelace");
    }

    @Test
    void replayedRequestReturnsFirstResult() {
        CreateContributorRequest request = create(UUID.randomUUID(), "Grace Hopper", "user-grace");

        Contributor first = registry.createContributor(request).getContributor();
        Contributor replay = registry.createContributor(request).getContributor();

        assertThat(replay).isEqualTo(first);
    }

    @Test
    void reusedRequestIdWithAnotherRequestIsRefusedAndChangesNothing() {
        UUID requestId = UUID.randomUUID();
        registry.createContributor(create(requestId, "Alan Turing", "user-alan"));

        assertThatThrownBy(() -> registry.createContributor(create(requestId, "Someone Else", "user-else")))
                .satisfies(failure -> assertReason(failure, Status.Code.ALREADY_EXISTS, "REQUEST_ID_REUSED"));
        assertNotFound("user-else");
    }

    @Test
    void secondContributorWithTheSameExternalRefIsRefusedNamingTheFirst() {
        Contributor first = registry.createContributor(create(UUID.randomUUID(), "Edsger", "user-edsger"))
                .getContributor();

        assertThatThrownBy(() -> registry.createContributor(create(UUID.randomUUID(), "Impostor", "user-edsger")))
                .satisfies(failure -> {
                    ErrorInfo info = assertReason(failure, Status.Code.ALREADY_EXISTS, "EXTERNAL_REF_EXISTS");
                    assertThat(info.getMetadataMap()).containsEntry("contributor_id", first.getId());
                });
    }

    @Test
    void invalidRequestListsEveryViolationAndPersistsNothing() throws Exception {
        CreateContributorRequest request = CreateContributorRequest.newBuilder()
                .setRequestId("not-a-uuid")
                .setContributor(Contributor.newBuilder().setDisplayName("").setExternalRef("user-invalid"))
                .build();

        StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> registry.createContributor(request));

        assertReason(failure, Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");
        BadRequest badRequest = StatusProto.fromThrowable(failure).getDetails(1).unpack(BadRequest.class);
        assertThat(badRequest.getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField)
                .containsExactly("request_id", "contributor.display_name");
        assertNotFound("user-invalid");
    }

    @Test
    void unknownContributorIsNotFound() {
        assertThatThrownBy(() -> registry.getContributor(GetContributorRequest.newBuilder()
                .setContributorId(UUID.randomUUID().toString()).build()))
                .satisfies(failure -> assertReason(failure, Status.Code.NOT_FOUND, "CONTRIBUTOR_NOT_FOUND"));
    }

    @Test
    void malformedIdIsInvalidArgument() {
        assertThatThrownBy(() -> registry.getContributor(GetContributorRequest.newBuilder()
                .setContributorId("42").build()))
                .satisfies(failure -> assertReason(failure, Status.Code.INVALID_ARGUMENT, "INVALID_FIELD"));
    }

    private void assertNotFound(String externalRef) {
        assertThatThrownBy(() -> registry.getContributor(GetContributorRequest.newBuilder()
                .setExternalRef(externalRef).build()))
                .satisfies(failure -> assertReason(failure, Status.Code.NOT_FOUND, "CONTRIBUTOR_NOT_FOUND"));
    }

    private static CreateContributorRequest create(UUID requestId, String displayName, String externalRef) {
        return CreateContributorRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setContributor(Contributor.newBuilder().setDisplayName(displayName).setExternalRef(externalRef))
                .build();
    }

    private static ErrorInfo assertReason(Throwable failure, Status.Code code, String reason) {
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(code);
        try {
            ErrorInfo info = StatusProto.fromThrowable(failure).getDetails(0).unpack(ErrorInfo.class);
            assertThat(info.getReason()).isEqualTo(reason);
            assertThat(info.getDomain()).isEqualTo("registry.tribute.io");
            return info;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
