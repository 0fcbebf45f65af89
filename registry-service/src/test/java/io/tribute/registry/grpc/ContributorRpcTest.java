package io.tribute.registry.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
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

    private static final String DOMAIN = "registry.tribute.io";

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

        assertFails(() -> registry.createContributor(create(requestId, "Someone Else", "user-else")),
                Status.Code.ALREADY_EXISTS, DOMAIN, "REQUEST_ID_REUSED");
        assertNotFound("user-else");
    }

    @Test
    void secondContributorWithTheSameExternalRefIsRefusedNamingTheFirst() {
        Contributor first = registry.createContributor(create(UUID.randomUUID(), "Edsger", "user-edsger"))
                .getContributor();

        ErrorInfo info = assertFails(
                () -> registry.createContributor(create(UUID.randomUUID(), "Impostor", "user-edsger")),
                Status.Code.ALREADY_EXISTS, DOMAIN, "EXTERNAL_REF_EXISTS");
        assertThat(info.getMetadataMap()).containsEntry("contributor_id", first.getId());
    }

    @Test
    void invalidRequestListsEveryViolationAndPersistsNothing() {
        CreateContributorRequest request = CreateContributorRequest.newBuilder()
                .setRequestId("not-a-uuid")
                .setContributor(Contributor.newBuilder().setDisplayName("").setExternalRef("user-invalid"))
                .build();

        assertThat(violatedFields(() -> registry.createContributor(request), DOMAIN))
                .containsExactly("request_id", "contributor.display_name");
        assertNotFound("user-invalid");
    }

    @Test
    void unknownContributorIsNotFound() {
        assertFails(() -> registry.getContributor(GetContributorRequest.newBuilder()
                        .setContributorId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "CONTRIBUTOR_NOT_FOUND");
    }

    @Test
    void malformedIdIsInvalidArgument() {
        assertThat(violatedFields(() -> registry.getContributor(GetContributorRequest.newBuilder()
                .setContributorId("42").build()), DOMAIN)).containsExactly("contributor_id");
    }

    private void assertNotFound(String externalRef) {
        assertFails(() -> registry.getContributor(GetContributorRequest.newBuilder()
                        .setExternalRef(externalRef).build()),
                Status.Code.NOT_FOUND, DOMAIN, "CONTRIBUTOR_NOT_FOUND");
    }

    private static CreateContributorRequest create(UUID requestId, String displayName, String externalRef) {
        return CreateContributorRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setContributor(Contributor.newBuilder().setDisplayName(displayName).setExternalRef(externalRef))
                .build();
    }
}
