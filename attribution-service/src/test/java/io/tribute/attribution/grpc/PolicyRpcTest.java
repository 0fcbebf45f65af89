package io.tribute.attribution.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceBlockingStub;
import io.tribute.attribution.v1.CreatePolicyRequest;
import io.tribute.attribution.v1.GetPolicyRequest;
import io.tribute.attribution.v1.ListPoliciesRequest;
import io.tribute.attribution.v1.ListPoliciesResponse;
import io.tribute.attribution.v1.Policy;
import io.tribute.attribution.v1.RoleWeight;
import io.tribute.common.v1.Role;
import io.tribute.testing.PostgresResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class PolicyRpcTest {

    private static final String DOMAIN = "attribution.tribute.io";
    private static final String DEFAULT_POLICY_ID = "00000000-0000-7000-8000-000000000000";

    @GrpcClient("attribution")
    AttributionServiceBlockingStub attribution;

    @Test
    void defaultPolicyExistsFromTheFirstStart() {
        Policy policy = attribution.getPolicy(GetPolicyRequest.getDefaultInstance()).getPolicy();

        assertThat(policy.getId()).isEqualTo(DEFAULT_POLICY_ID);
        assertThat(policy.getIsDefault()).isTrue();
        assertThat(policy.getRoleWeightsList()).extracting(RoleWeight::getRole).containsExactly(
                Role.ROLE_TRAINING_DATA, Role.ROLE_ARCHITECTURE, Role.ROLE_MODEL_BUILDERS, Role.ROLE_PROMPT,
                Role.ROLE_REVIEW);
        assertThat(policy.getRoleWeightsList().stream().mapToLong(RoleWeight::getWeightPpm).sum())
                .isEqualTo(1_000_000);
    }

    @Test
    void createdPolicyIsReadBackAsItsFirstVersion() {
        Policy created = attribution.createPolicy(create(UUID.randomUUID(), "", rules("image-gen"))).getPolicy();

        assertThat(created.getVersion()).isEqualTo(1);
        assertThat(created.getIsDefault()).isFalse();
        assertThat(created.getFinetuneUpstreamSharePpm()).isEqualTo(250_000);
        Policy read = attribution.getPolicy(GetPolicyRequest.newBuilder()
                .setPolicyId(created.getId()).setVersion(1).build()).getPolicy();
        assertThat(read).isEqualTo(created);
    }

    @Test
    void newVersionOfAPolicyKeepsTheOldOneReadable() {
        Policy first = attribution.createPolicy(create(UUID.randomUUID(), "", rules("text"))).getPolicy();
        Policy changed = rules("text").toBuilder().setDepthLimit(2).build();

        Policy second = attribution.createPolicy(create(UUID.randomUUID(), first.getId(), changed)).getPolicy();

        assertThat(second.getId()).isEqualTo(first.getId());
        assertThat(second.getVersion()).isEqualTo(2);
        Policy latest = attribution.getPolicy(GetPolicyRequest.newBuilder().setPolicyId(first.getId()).build())
                .getPolicy();
        assertThat(latest).isEqualTo(second);
        Policy original = attribution.getPolicy(GetPolicyRequest.newBuilder()
                .setPolicyId(first.getId()).setVersion(1).build()).getPolicy();
        assertThat(original).isEqualTo(first);
    }

    @Test
    void replayedRequestReturnsFirstResult() {
        CreatePolicyRequest request = create(UUID.randomUUID(), "", rules("replayed"));

        assertThat(attribution.createPolicy(request)).isEqualTo(attribution.createPolicy(request));
    }

    @Test
    void roleWeightsThatDoNotSumToOneMillionAreRefusedAndNothingIsCreated() {
        UUID requestId = UUID.randomUUID();
        Policy lopsided = rules("lopsided").toBuilder()
                .setRoleWeights(0, RoleWeight.newBuilder().setRole(Role.ROLE_TRAINING_DATA).setWeightPpm(500_000))
                .build();

        assertThat(violatedFields(() -> attribution.createPolicy(create(requestId, "", lopsided)), DOMAIN))
                .containsExactly("policy.role_weights");
        // The same request id is still free: the refused request left no trace.
        Policy valid = attribution.createPolicy(create(requestId, "", rules("valid"))).getPolicy();
        assertThat(valid.getName()).isEqualTo("valid");
    }

    @Test
    void everyInvalidFieldIsReported() {
        Policy invalid = Policy.newBuilder()
                .setName("")
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_PROMPT).setWeightPpm(1_000_000))
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_PROMPT).setWeightPpm(0))
                .setDepthLimit(33)
                .setMinimumSharePpm(1_000_001)
                .build();

        assertThat(violatedFields(() -> attribution.createPolicy(create(UUID.randomUUID(), "", invalid)), DOMAIN))
                .containsExactlyInAnyOrder("policy.name", "policy.role_weights[1].role", "policy.role_weights",
                        "policy.minimum_share_ppm", "policy.depth_limit");
    }

    @Test
    void newVersionOfAnUnknownPolicyIsNotFound() {
        String unknown = UUID.randomUUID().toString();
        assertFails(() -> attribution.createPolicy(create(UUID.randomUUID(), unknown, rules("orphan"))),
                Status.Code.NOT_FOUND, DOMAIN, "POLICY_NOT_FOUND");
    }

    @Test
    void unknownPolicyVersionIsNotFound() {
        assertFails(() -> attribution.getPolicy(GetPolicyRequest.newBuilder()
                        .setPolicyId(DEFAULT_POLICY_ID).setVersion(999).build()),
                Status.Code.NOT_FOUND, DOMAIN, "POLICY_NOT_FOUND");
    }

    @Test
    void policyVersionsAreListedInIdAndVersionOrderPageByPage() {
        Policy first = attribution.createPolicy(create(UUID.randomUUID(), "", rules("listed"))).getPolicy();
        Policy second = attribution.createPolicy(create(UUID.randomUUID(), first.getId(), rules("listed"))).getPolicy();
        Policy third = attribution.createPolicy(create(UUID.randomUUID(), first.getId(), rules("listed"))).getPolicy();

        ListPoliciesResponse page1 = attribution.listPolicies(ListPoliciesRequest.newBuilder()
                .setPolicyId(first.getId()).setPageSize(2).build());
        assertThat(page1.getPoliciesList()).containsExactly(first, second);
        ListPoliciesResponse page2 = attribution.listPolicies(ListPoliciesRequest.newBuilder()
                .setPolicyId(first.getId()).setPageSize(2).setPageToken(page1.getNextPageToken()).build());
        assertThat(page2.getPoliciesList()).containsExactly(third);
        assertThat(page2.getNextPageToken()).isEmpty();

        assertThat(attribution.listPolicies(ListPoliciesRequest.newBuilder().setPolicyId(first.getId())
                .setLatestOnly(true).build()).getPoliciesList()).containsExactly(third);

        List<Policy> everything = new ArrayList<>();
        String token = "";
        do {
            ListPoliciesResponse page = attribution.listPolicies(ListPoliciesRequest.newBuilder()
                    .setPageSize(1).setPageToken(token).build());
            everything.addAll(page.getPoliciesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(everything).contains(first, second, third);
        assertThat(everything).extracting(Policy::getId).contains(DEFAULT_POLICY_ID);
        assertThat(everything).extracting(policy -> policy.getId() + "/" + String.format("%09d", policy.getVersion()))
                .isSortedAccordingTo(Comparator.comparing((String key) -> UUID.fromString(key.substring(0, 36)),
                        PolicyRpcTest::postgresUuidOrder).thenComparing(key -> key.substring(37)));
    }

    @Test
    void listingPoliciesWithAForeignOrEditedTokenOrBadFieldsIsRefused() {
        Policy first = attribution.createPolicy(create(UUID.randomUUID(), "", rules("tokens"))).getPolicy();
        attribution.createPolicy(create(UUID.randomUUID(), first.getId(), rules("tokens")));
        String token = attribution.listPolicies(ListPoliciesRequest.newBuilder()
                .setPolicyId(first.getId()).setPageSize(1).build()).getNextPageToken();

        assertFails(() -> attribution.listPolicies(ListPoliciesRequest.newBuilder().setPageToken(token).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
        String edited = token.substring(0, token.lastIndexOf('.') + 1) + "7";
        assertFails(() -> attribution.listPolicies(ListPoliciesRequest.newBuilder().setPolicyId(first.getId())
                .setPageToken(edited).build()), Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
        assertThat(violatedFields(() -> attribution.listPolicies(ListPoliciesRequest.newBuilder()
                .setPageSize(-1).setPolicyId("x").build()), DOMAIN)).containsExactlyInAnyOrder("page_size", "policy_id");
    }

    /** PostgreSQL orders uuids by their bytes as unsigned numbers (Java's UUID.compareTo is signed). */
    private static int postgresUuidOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static CreatePolicyRequest create(UUID requestId, String policyId, Policy policy) {
        return CreatePolicyRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setPolicyId(policyId)
                .setPolicy(policy)
                .build();
    }

    private static Policy rules(String name) {
        return Policy.newBuilder()
                .setName(name)
                .setDescription("test policy " + name)
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_TRAINING_DATA).setWeightPpm(300_000))
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_ARCHITECTURE).setWeightPpm(100_000))
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_MODEL_BUILDERS).setWeightPpm(300_000))
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_PROMPT).setWeightPpm(200_000))
                .addRoleWeights(RoleWeight.newBuilder().setRole(Role.ROLE_REVIEW).setWeightPpm(100_000))
                .setFinetuneUpstreamSharePpm(250_000)
                .setDepthLimit(4)
                .setMinimumSharePpm(50)
                .setDatasetItemFractionPpm(600_000)
                .build();
    }
}
