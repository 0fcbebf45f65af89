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
import static org.assertj.core.api.Assertions.tuple;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.DatasetItemCreator;
import io.tribute.registry.v1.GetLineageRequest;
import io.tribute.registry.v1.GetLineageResponse;
import io.tribute.registry.v1.LineageDirection;
import io.tribute.registry.v1.LineageEdge;
import io.tribute.registry.v1.LineageNode;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class LineageRpcTest {

    private static final String DOMAIN = "registry.tribute.io";

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    private String alice;
    private String bob;
    private Asset item1;
    private Asset item2;
    private Asset dataset;
    private Asset architecture;
    private Asset base;
    private Asset finetune;

    /** item1, item2 ⊂ dataset ← TRAINED_ON base → USES_ARCHITECTURE architecture; finetune FINETUNED_FROM base. */
    @BeforeEach
    void buildLineage() {
        alice = contributor(registry);
        bob = contributor(registry);
        item1 = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        item2 = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice, bob));
        List<String> members = List.of(item1.getSha256(), item2.getSha256());
        dataset = registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET,
                DatasetRpcTest.independentRoot(members), bob)).toBuilder().addAllDatasetMemberSha256(members).build())
                .getAsset();
        architecture = register(registry, asset(AssetKind.ASSET_KIND_MODEL_ARCHITECTURE, randomSha(), bob));
        base = register(registry, asset(AssetKind.ASSET_KIND_MODEL, randomSha(), alice)
                .addParents(parent(dataset.getId(), EdgeType.EDGE_TYPE_TRAINED_ON))
                .addParents(parent(architecture.getId(), EdgeType.EDGE_TYPE_USES_ARCHITECTURE)));
        finetune = register(registry, asset(AssetKind.ASSET_KIND_MODEL, randomSha(), bob)
                .addParents(parent(base.getId(), EdgeType.EDGE_TYPE_FINETUNED_FROM)));
    }

    @Test
    void ancestorsAreWalkedToTheRequestedDepthWithEdgesAndCreators() {
        GetLineageResponse oneDeep = lineage(finetune, LineageDirection.LINEAGE_DIRECTION_ANCESTORS, 1, false);
        assertThat(oneDeep.getNodesList()).extracting(node -> node.getAsset().getId(), LineageNode::getDepth)
                .containsExactly(tuple(finetune.getId(), 0), tuple(base.getId(), 1));

        GetLineageResponse all = lineage(finetune, LineageDirection.LINEAGE_DIRECTION_ANCESTORS, 0, true);
        assertThat(all.getNodesList()).extracting(node -> node.getAsset().getId()).containsExactly(
                finetune.getId(), base.getId(), sorted(architecture.getId(), dataset.getId())[0],
                sorted(architecture.getId(), dataset.getId())[1]);
        assertThat(all.getEdgesList()).extracting(LineageEdge::getChildAssetId, LineageEdge::getParentAssetId,
                LineageEdge::getEdgeType).containsExactlyInAnyOrder(
                tuple(finetune.getId(), base.getId(), EdgeType.EDGE_TYPE_FINETUNED_FROM),
                tuple(base.getId(), dataset.getId(), EdgeType.EDGE_TYPE_TRAINED_ON),
                tuple(base.getId(), architecture.getId(), EdgeType.EDGE_TYPE_USES_ARCHITECTURE));
        LineageNode datasetNode = all.getNodesList().stream()
                .filter(node -> node.getAsset().getId().equals(dataset.getId())).findFirst().orElseThrow();
        assertThat(datasetNode.getAsset().getItemCount()).isEqualTo(2);
        assertThat(datasetNode.getAsset().getCreators(0).getContributorId()).isEqualTo(bob);
        // item1: alice 1,000,000; item2: alice 500,000 + bob 500,000 → Σ = 2 items × 1,000,000.
        assertThat(datasetNode.getDatasetItemCreatorsList()).extracting(DatasetItemCreator::getContributorId,
                DatasetItemCreator::getWeight, DatasetItemCreator::getItemCount)
                .containsExactlyInAnyOrder(tuple(alice, 1_500_000L, 2L), tuple(bob, 500_000L, 1L));
    }

    @Test
    void repeatedAncestorQueriesGetTheFirstAnswer() {
        GetLineageResponse first = lineage(finetune, LineageDirection.LINEAGE_DIRECTION_ANCESTORS, 0, true);

        // Ancestors are answered from the cache after the first walk: the same message, byte for byte.
        for (int i = 0; i < 3; i++) {
            GetLineageResponse again = lineage(finetune, LineageDirection.LINEAGE_DIRECTION_ANCESTORS, 0, true);
            assertThat(again).isEqualTo(first);
            assertThat(again.toByteString()).isEqualTo(first.toByteString());
        }
        assertThat(first.getNodesList()).extracting(node -> node.getAsset().getId()).contains(finetune.getId(),
                base.getId(), dataset.getId(), architecture.getId());
    }

    @Test
    void descendantsOfAnItemLeadThroughItsDatasetToTheModels() {
        GetLineageResponse response = lineage(item1, LineageDirection.LINEAGE_DIRECTION_DESCENDANTS, 0, false);

        assertThat(response.getNodesList()).extracting(node -> node.getAsset().getId(), LineageNode::getDepth)
                .containsExactly(tuple(item1.getId(), 0), tuple(dataset.getId(), 1), tuple(base.getId(), 2),
                        tuple(finetune.getId(), 3));
        assertThat(response.getEdgesList()).extracting(LineageEdge::getChildAssetId, LineageEdge::getParentAssetId,
                LineageEdge::getEdgeType).containsExactlyInAnyOrder(
                tuple(dataset.getId(), item1.getId(), EdgeType.EDGE_TYPE_CONTAINS),
                tuple(base.getId(), dataset.getId(), EdgeType.EDGE_TYPE_TRAINED_ON),
                tuple(finetune.getId(), base.getId(), EdgeType.EDGE_TYPE_FINETUNED_FROM));
        assertThat(response.getNodes(1).getDatasetItemCreatorsList()).isEmpty();
    }

    @Test
    void edgeTypeFilterFollowsOnlyThoseEdges() {
        GetLineageResponse response = registry.getLineage(GetLineageRequest.newBuilder().setAssetId(base.getId())
                .setDirection(LineageDirection.LINEAGE_DIRECTION_ANCESTORS)
                .addEdgeTypes(EdgeType.EDGE_TYPE_USES_ARCHITECTURE).build());

        assertThat(response.getNodesList()).extracting(node -> node.getAsset().getId())
                .containsExactly(base.getId(), architecture.getId());
        assertThat(response.getEdgesList()).hasSize(1);
    }

    @Test
    void badRequestsAreRefused() {
        assertThat(violatedFields(() -> registry.getLineage(GetLineageRequest.newBuilder()
                .setAssetId(base.getId()).setMaxDepth(65).build()), DOMAIN)).containsExactly("direction", "max_depth");
        assertFails(() -> registry.getLineage(GetLineageRequest.newBuilder().setAssetId(UUID.randomUUID().toString())
                .setDirection(LineageDirection.LINEAGE_DIRECTION_ANCESTORS).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
    }

    private GetLineageResponse lineage(Asset start, LineageDirection direction, int depth, boolean itemCreators) {
        return registry.getLineage(GetLineageRequest.newBuilder().setAssetId(start.getId()).setDirection(direction)
                .setMaxDepth(depth).setIncludeDatasetItemCreators(itemCreators).build());
    }

    private static String[] sorted(String a, String b) {
        return a.compareTo(b) < 0 ? new String[] {a, b} : new String[] {b, a};
    }
}
