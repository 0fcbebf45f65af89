package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.AssetFixtures.asset;
import static io.tribute.registry.grpc.AssetFixtures.contributor;
import static io.tribute.registry.grpc.AssetFixtures.parent;
import static io.tribute.registry.grpc.AssetFixtures.randomSha;
import static io.tribute.registry.grpc.AssetFixtures.register;
import static io.tribute.registry.grpc.AssetFixtures.request;
import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.BatchGetAssetsRequest;
import io.tribute.registry.v1.GetLineageRequest;
import io.tribute.registry.v1.LineageDirection;
import io.tribute.registry.v1.ListAssetsRequest;
import io.tribute.registry.v1.ListAssetsResponse;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc.MutinyRegistryServiceStub;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsRequest.DatasetMembers;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.testing.PostgresResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every limit is its named setting: with each one set small here, the request just above it is refused (and
 * persists nothing) and the request at it is accepted.
 */
@QuarkusTest
@TestProfile(LimitsRpcTest.SmallLimits.class)
@WithTestResource(PostgresResource.class)
class LimitsRpcTest {

    private static final String DOMAIN = "registry.tribute.io";
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(1);

    /** Small values for every limit setting. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("tribute.registry.max-creators-per-asset", "2"),
                    Map.entry("tribute.registry.max-parents-per-asset", "2"),
                    Map.entry("tribute.registry.max-attributes-per-asset", "2"),
                    Map.entry("tribute.registry.max-items-per-stream", "3"),
                    Map.entry("tribute.registry.max-dataset-members-per-message", "2"),
                    Map.entry("tribute.registry.max-dataset-items", "3"),
                    Map.entry("tribute.registry.max-batch-get", "2"),
                    Map.entry("tribute.registry.max-lineage-depth", "3"),
                    Map.entry("tribute.registry.max-lineage-nodes", "3"),
                    Map.entry("tribute.registry.max-lineage-item-creators", "1"),
                    Map.entry("tribute.registry.assets-max-page-size", "2"),
                    Map.entry("tribute.registry.contributors-max-page-size", "2"),
                    Map.entry("tribute.registry.max-verify-content-bytes", "16"),
                    Map.entry("tribute.registry.max-manifest-bytes", "64"));
        }
    }

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @GrpcClient("registry")
    MutinyRegistryServiceStub streaming;

    @Test
    void creatorsPerAssetFollowsMaxCreatorsPerAsset() {
        String a = contributor(registry);
        String b = contributor(registry);
        String c = contributor(registry);
        String sha = randomSha();

        assertThat(violatedFields(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha,
                a, b, c))), DOMAIN)).containsExactly("asset.creators");
        assertNotRegistered(sha);
        assertThat(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, a, b)).getCreatorsCount())
                .isEqualTo(2);
    }

    @Test
    void parentsPerAssetFollowsMaxParentsPerAsset() {
        String alice = contributor(registry);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)).getId());
        }
        String sha = randomSha();
        Asset.Builder threeParents = asset(AssetKind.ASSET_KIND_MODEL, sha, alice);
        items.forEach(item -> threeParents.addParents(parent(item, EdgeType.EDGE_TYPE_TRAINED_ON)));

        assertThat(violatedFields(() -> registry.registerAsset(request(threeParents)), DOMAIN))
                .containsExactly("asset.parents");
        assertNotRegistered(sha);
        Asset.Builder twoParents = asset(AssetKind.ASSET_KIND_MODEL, sha, alice);
        items.subList(0, 2).forEach(item -> twoParents.addParents(parent(item, EdgeType.EDGE_TYPE_TRAINED_ON)));
        assertThat(register(registry, twoParents).getParentsCount()).isEqualTo(2);
    }

    @Test
    void attributesPerAssetFollowsMaxAttributesPerAsset() {
        String alice = contributor(registry);
        String sha = randomSha();

        assertThat(violatedFields(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha,
                alice).putAttributes("a", "1").putAttributes("b", "2").putAttributes("c", "3"))), DOMAIN))
                .containsExactly("asset.attributes");
        assertNotRegistered(sha);
        assertThat(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, alice).putAttributes("a", "1")
                .putAttributes("b", "2")).getAttributesCount()).isEqualTo(2);
    }

    @Test
    void entriesPerStreamFollowMaxItemsPerStream() {
        String alice = contributor(registry);
        List<RegisterAssetsRequest> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(entry(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)));
        }

        assertFails(() -> stream(four), Status.Code.RESOURCE_EXHAUSTED, DOMAIN, "LIMIT_EXCEEDED");
        assertThat(stream(four.subList(0, 3)).getCreatedCount()).isEqualTo(3);
    }

    @Test
    void inlineAndStreamedMembersFollowMaxDatasetMembersPerMessage() {
        String alice = contributor(registry);
        List<String> items = registerItems(alice, 3);
        String root = DatasetRpcTest.independentRoot(items);

        assertThat(violatedFields(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET, root,
                alice)).toBuilder().addAllDatasetMemberSha256(items).build()), DOMAIN))
                .containsExactly("dataset_member_sha256");
        assertFails(() -> stream(List.of(entry(asset(AssetKind.ASSET_KIND_DATASET, root, alice)), members(items))),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "STREAM_PROTOCOL_VIOLATION");
        assertNotRegistered(root);

        RegisterAssetsResponse chunked = stream(List.of(entry(asset(AssetKind.ASSET_KIND_DATASET, root, alice)),
                members(items.subList(0, 2)), members(items.subList(2, 3))));
        assertThat(chunked.getCreatedCount()).isEqualTo(1);
    }

    @Test
    void datasetSizeFollowsMaxDatasetItems() {
        String alice = contributor(registry);
        List<String> items = registerItems(alice, 4);
        String root = DatasetRpcTest.independentRoot(items);

        RegisterAssetsResponse refused = stream(List.of(entry(asset(AssetKind.ASSET_KIND_DATASET, root, alice)),
                members(items.subList(0, 2)), members(items.subList(2, 4))));
        assertThat(refused.getFailedCount()).isEqualTo(1);
        assertThat(refused.getResults(0).getError().getFieldViolationsList())
                .anySatisfy(violation -> assertThat(violation.getField()).isEqualTo("dataset_member_sha256"));
        assertNotRegistered(root);

        List<String> three = items.subList(0, 3);
        assertThat(stream(List.of(entry(asset(AssetKind.ASSET_KIND_DATASET, DatasetRpcTest.independentRoot(three),
                alice)), members(three.subList(0, 2)), members(three.subList(2, 3)))).getCreatedCount()).isEqualTo(1);
    }

    @Test
    void idsPerBatchGetFollowMaxBatchGet() {
        String alice = contributor(registry);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)).getId());
        }

        assertThat(violatedFields(() -> registry.batchGetAssets(BatchGetAssetsRequest.newBuilder()
                .addAllAssetIds(ids).build()), DOMAIN)).containsExactly("asset_ids");
        assertThat(registry.batchGetAssets(BatchGetAssetsRequest.newBuilder().addAllAssetIds(ids.subList(0, 2))
                .build()).getAssetsCount()).isEqualTo(2);
    }

    @Test
    void lineageDepthFollowsMaxLineageDepth() {
        String alice = contributor(registry);
        Asset item = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));

        assertThat(violatedFields(() -> registry.getLineage(ancestors(item, 4)), DOMAIN)).containsExactly("max_depth");
        assertThat(registry.getLineage(ancestors(item, 3)).getNodesCount()).isEqualTo(1);
    }

    @Test
    void lineageLargerThanMaxLineageNodesIsResultTooLarge() {
        String alice = contributor(registry);
        Asset model = register(registry, asset(AssetKind.ASSET_KIND_MODEL, randomSha(), alice));
        for (int i = 0; i < 3; i++) {
            model = register(registry, asset(AssetKind.ASSET_KIND_MODEL, randomSha(), alice)
                    .addParents(parent(model.getId(), EdgeType.EDGE_TYPE_FINETUNED_FROM)));
        }
        Asset top = model;

        assertFails(() -> registry.getLineage(ancestors(top, 3)), Status.Code.FAILED_PRECONDITION, DOMAIN,
                "RESULT_TOO_LARGE");
        assertThat(registry.getLineage(ancestors(top, 2)).getNodesCount()).isEqualTo(3);
    }

    @Test
    void datasetItemCreatorsBeyondMaxLineageItemCreatorsAreResultTooLarge() {
        String alice = contributor(registry);
        String bob = contributor(registry);
        List<String> items = List.of(
                register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)).getSha256(),
                register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), bob)).getSha256());
        Asset dataset = registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET,
                DatasetRpcTest.independentRoot(items), alice)).toBuilder().addAllDatasetMemberSha256(items).build())
                .getAsset();
        GetLineageRequest withItemCreators = ancestors(dataset, 1).toBuilder().setIncludeDatasetItemCreators(true)
                .build();

        assertFails(() -> registry.getLineage(withItemCreators), Status.Code.FAILED_PRECONDITION, DOMAIN,
                "RESULT_TOO_LARGE");
        assertThat(registry.getLineage(ancestors(dataset, 1)).getNodes(0).getDatasetItemCreatorsList()).isEmpty();
    }

    @Test
    void pagesAreCappedByTheirMaxPageSizeSettings() {
        String alice = contributor(registry);
        contributor(registry);
        for (int i = 0; i < 3; i++) {
            register(registry, asset(AssetKind.ASSET_KIND_PROMPT, randomSha(), alice));
        }

        ListAssetsResponse assets = registry.listAssets(ListAssetsRequest.newBuilder().setCreatorId(alice)
                .setPageSize(100).build());
        assertThat(assets.getAssetsCount()).isEqualTo(2);
        assertThat(assets.getNextPageToken()).isNotEmpty();
        assertThat(registry.listContributors(ListContributorsRequest.newBuilder().setPageSize(100).build())
                .getContributorsCount()).isEqualTo(2);
    }

    @Test
    void verifyContentSizesFollowTheirSettings() {
        assertFails(() -> registry.verifyContent(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8("seventeen bytes!!")).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "LIMIT_EXCEEDED");
        assertFails(() -> registry.verifyContent(VerifyContentRequest.newBuilder()
                .setManifestJws("x".repeat(65)).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "LIMIT_EXCEEDED");
        assertThat(registry.verifyContent(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8("sixteen bytes!!!")).build()).getVerdictValue()).isPositive();
    }

    private RegisterAssetsResponse stream(List<RegisterAssetsRequest> messages) {
        return streaming.registerAssets(Multi.createFrom().iterable(messages)).await().atMost(STREAM_TIMEOUT);
    }

    private List<String> registerItems(String creator, int count) {
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shas.add(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), creator)).getSha256());
        }
        return shas;
    }

    private static RegisterAssetsRequest entry(Asset.Builder asset) {
        return RegisterAssetsRequest.newBuilder().setAsset(request(asset)).build();
    }

    private static RegisterAssetsRequest members(List<String> shas) {
        return RegisterAssetsRequest.newBuilder().setDatasetMembers(DatasetMembers.newBuilder().addAllSha256(shas))
                .build();
    }

    private static GetLineageRequest ancestors(Asset start, int depth) {
        return GetLineageRequest.newBuilder().setAssetId(start.getId())
                .setDirection(LineageDirection.LINEAGE_DIRECTION_ANCESTORS).setMaxDepth(depth).build();
    }

    private void assertNotRegistered(String sha) {
        assertFails(() -> registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(sha).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
    }
}
