package io.tribute.registry.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
import io.tribute.registry.v1.GetContributorRequest;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.ListContributorsResponse;
import io.tribute.registry.v1.WalletChallenge;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void externalRefOfUpTo256CharactersIsAccepted() {
        String longest = "r".repeat(256);

        registry.createContributor(create(UUID.randomUUID(), "Long ref", longest));

        assertThat(registry.getContributor(GetContributorRequest.newBuilder().setExternalRef(longest).build())
                .getContributor().getExternalRef()).isEqualTo(longest);
        assertThat(violatedFields(() -> registry.createContributor(create(UUID.randomUUID(), "Too long",
                longest + "r")), DOMAIN)).containsExactly("contributor.external_ref");
    }

    @Test
    void listPagesThroughContributorsInIdOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(registry.createContributor(create(UUID.randomUUID(), "Lister " + i, "lister-" + UUID.randomUUID()))
                    .getContributor().getId());
        }

        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListContributorsResponse page = registry.listContributors(ListContributorsRequest.newBuilder()
                    .addAllContributorIds(ids).setPageSize(2).setPageToken(token).build());
            assertThat(page.getContributorsCount()).isLessThanOrEqualTo(2);
            page.getContributorsList().forEach(contributor -> listed.add(contributor.getId()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());

        assertThat(listed).containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void listWithoutFiltersReturnsEveryContributorOnce() {
        Contributor created = registry.createContributor(create(UUID.randomUUID(), "Everyone", "all-" + UUID.randomUUID()))
                .getContributor();

        List<String> listed = new ArrayList<>();
        String token = "";
        do {
            ListContributorsResponse page = registry.listContributors(ListContributorsRequest.newBuilder()
                    .setPageToken(token).build());
            page.getContributorsList().forEach(contributor -> listed.add(contributor.getId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(listed).doesNotHaveDuplicates().isSorted().contains(created.getId());
    }

    @Test
    void listFiltersByPayoutAccount() {
        Contributor unbound = registry.createContributor(create(UUID.randomUUID(), "Unbound", "unbound-"
                + UUID.randomUUID())).getContributor();
        Contributor bound = registry.createContributor(create(UUID.randomUUID(), "Bound", "bound-"
                + UUID.randomUUID())).getContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = registry.createWalletChallenge(CreateWalletChallengeRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setContributorId(bound.getId())
                .setAccount(wallet.account()).build()).getChallenge();
        registry.bindWallet(BindWalletRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setContributorId(bound.getId()).setChallengeId(challenge.getId())
                .setSignature(wallet.sign(challenge.getMessage())).build());
        List<String> both = List.of(unbound.getId(), bound.getId());

        List<Contributor> withAccount = registry.listContributors(ListContributorsRequest.newBuilder()
                .addAllContributorIds(both).setHasPayoutAccount(true).build()).getContributorsList();
        List<Contributor> withoutAccount = registry.listContributors(ListContributorsRequest.newBuilder()
                .addAllContributorIds(both).setHasPayoutAccount(false).build()).getContributorsList();

        assertThat(withAccount).extracting(Contributor::getId).containsExactly(bound.getId());
        assertThat(withAccount.getFirst().getPayoutAccount()).isEqualTo(wallet.account());
        assertThat(withAccount.getFirst().getWalletBindingsList()).hasSize(1);
        assertThat(withoutAccount).extracting(Contributor::getId).containsExactly(unbound.getId());
    }

    @Test
    void unknownIdsAreAbsentFromTheList() {
        assertThat(registry.listContributors(ListContributorsRequest.newBuilder()
                .addContributorIds(UUID.randomUUID().toString()).build()).getContributorsList()).isEmpty();
    }

    @Test
    void pageTokenOfOtherFiltersIsRefused() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(registry.createContributor(create(UUID.randomUUID(), "Token " + i, "token-" + UUID.randomUUID()))
                    .getContributor().getId());
        }
        String token = registry.listContributors(ListContributorsRequest.newBuilder().addAllContributorIds(ids)
                .setPageSize(1).build()).getNextPageToken();

        assertFails(() -> registry.listContributors(ListContributorsRequest.newBuilder().addAllContributorIds(ids)
                        .setHasPayoutAccount(false).setPageSize(1).setPageToken(token).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
        assertFails(() -> registry.listContributors(ListContributorsRequest.newBuilder()
                        .setPageToken("not-a-token").build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
    }

    @Test
    void invalidListRequestsAreRefused() {
        assertThat(violatedFields(() -> registry.listContributors(ListContributorsRequest.newBuilder()
                .setPageSize(-1).addContributorIds("42").build()), DOMAIN))
                .containsExactly("page_size", "contributor_ids[0]");
        ListContributorsRequest.Builder tooMany = ListContributorsRequest.newBuilder();
        for (int i = 0; i < 1001; i++) {
            tooMany.addContributorIds(UUID.randomUUID().toString());
        }
        assertFails(() -> registry.listContributors(tooMany.build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "LIMIT_EXCEEDED");
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
