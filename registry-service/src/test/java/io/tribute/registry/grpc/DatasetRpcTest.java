package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.AssetFixtures.asset;
import static io.tribute.registry.grpc.AssetFixtures.contributor;
import static io.tribute.registry.grpc.AssetFixtures.randomSha;
import static io.tribute.registry.grpc.AssetFixtures.register;
import static io.tribute.registry.grpc.AssetFixtures.request;
import static io.tribute.testing.GrpcErrors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.MerkleInclusionProof;
import io.tribute.registry.service.DatasetTreeCache;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.GetMembershipProofRequest;
import io.tribute.registry.v1.GetMembershipProofResponse;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc.MutinyRegistryServiceStub;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsRequest.DatasetMembers;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import io.tribute.testing.Rfc9162Verifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class DatasetRpcTest {

    private static final String DOMAIN = "registry.tribute.io";
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(3);

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @GrpcClient("registry")
    MutinyRegistryServiceStub streaming;

    @Inject
    Pool database;

    @Inject
    DatasetTreeCache trees;

    @Test
    void everyMemberOfASmallDatasetHasAProofThatAnIndependentVerifierAccepts() {
        String alice = contributor(registry);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)).getSha256());
        }
        String root = independentRoot(items);
        Asset dataset = registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET, root, alice))
                .toBuilder().addAllDatasetMemberSha256(items).build()).getAsset();
        assertThat(dataset.getItemCount()).isEqualTo(7);

        for (String item : items) {
            GetMembershipProofResponse response = registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                    .setDatasetAssetId(dataset.getId()).setItemSha256(item).build());
            assertVerifies(response, root, 7);
        }
    }

    @Test
    void largeDatasetStreamedInChunksRegistersAndProvesMembership() {
        String alice = contributor(registry);
        String bob = contributor(registry);
        int size = 120_000;
        List<String> items = new ArrayList<>(size);
        for (int stream = 0; stream < size / 10_000; stream++) {
            List<RegisterAssetsRequest> entries = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                String sha = randomSha();
                items.add(sha);
                entries.add(RegisterAssetsRequest.newBuilder().setAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM,
                        sha, alice, bob))).build());
            }
            RegisterAssetsResponse registered = streaming.registerAssets(Multi.createFrom().iterable(entries))
                    .await().atMost(STREAM_TIMEOUT);
            assertThat(registered.getCreatedCount()).isEqualTo(10_000);
        }
        String root = independentRoot(items);
        List<RegisterAssetsRequest> messages = new ArrayList<>();
        messages.add(RegisterAssetsRequest.newBuilder().setAsset(request(asset(AssetKind.ASSET_KIND_DATASET, root,
                alice))).build());
        for (int from = 0; from < size; from += 40_000) {
            messages.add(RegisterAssetsRequest.newBuilder().setDatasetMembers(DatasetMembers.newBuilder()
                    .addAllSha256(items.subList(from, from + 40_000))).build());
        }
        RegisterAssetsResponse response = streaming.registerAssets(Multi.createFrom().iterable(messages))
                .await().atMost(STREAM_TIMEOUT);

        assertThat(response.getResultsCount()).isEqualTo(1);
        assertThat(response.getCreatedCount()).isEqualTo(1);
        String datasetId = response.getResults(0).getRegistered().getAssetId();
        Asset dataset = registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(root).build()).getAsset();
        assertThat(dataset.getItemCount()).isEqualTo(size);
        for (int pick : new int[] {0, 1, 15, 16, 255, 256, 65_535, 99_999, size - 1}) {
            GetMembershipProofResponse proof = registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                    .setDatasetAssetId(datasetId).setItemSha256(items.get(pick)).build());
            assertVerifies(proof, root, size);
        }
    }

    @Test
    void everyMemberOfADatasetWithStoredSubtreesAndPartialChunksHasAVerifiedProof() {
        String alice = contributor(registry);
        // 300 = 18 chunks of 16 leaves + 12: stored subtrees of 16 to 256 leaves, partial chunks on the right edge.
        List<String> items = registerItems(alice, 300);
        String root = independentRoot(items);
        String datasetId = registerDataset(alice, items).getId();

        for (String item : items) {
            assertVerifies(registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                    .setDatasetAssetId(datasetId).setItemSha256(item).build()), root, items.size());
        }
    }

    @Test
    void subtreeBackfillMigrationRestoresTheSubtreesProofsRead() {
        String alice = contributor(registry);
        List<String> items = registerItems(alice, 300);
        String root = independentRoot(items);
        UUID datasetId = UUID.fromString(registerDataset(alice, items).getId());
        List<String> stored = storedSubtrees(datasetId);
        // As a dataset registered when only subtrees of 256 leaves and more were stored.
        database.preparedQuery("DELETE FROM dataset_subtree WHERE dataset_id = $1 AND level < 8")
                .execute(Tuple.of(datasetId)).await().atMost(Duration.ofSeconds(30));
        assertThat(storedSubtrees(datasetId)).hasSizeLessThan(stored.size());

        database.query(migration("db/migration/V20__dataset_subtrees_of_16_leaves.sql")).execute()
                .await().atMost(Duration.ofSeconds(30));

        assertThat(storedSubtrees(datasetId)).isEqualTo(stored);
        for (String item : items) {
            assertVerifies(registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                    .setDatasetAssetId(datasetId.toString()).setItemSha256(item).build()), root, items.size());
        }
    }

    @Test
    void afterTheFirstProofTheTreeIsReadIntoMemoryAndProofsNoLongerReadItFromTheDatabase() throws Exception {
        String alice = contributor(registry);
        List<String> items = registerItems(alice, 300);
        String root = independentRoot(items);
        Asset dataset = registerDataset(alice, items);
        UUID datasetId = UUID.fromString(dataset.getId());
        Asset outsider = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        GetMembershipProofRequest first = GetMembershipProofRequest.newBuilder().setDatasetAssetId(dataset.getId())
                .setItemSha256(items.get(123)).build();
        assertThat(trees.ifLoaded(datasetId)).isEmpty();

        GetMembershipProofResponse fromDatabase = registry.getMembershipProof(first);
        assertThat(trees.load(datasetId, HexFormat.of().parseHex(root), items.size()).get()).isNotNull();
        assertThat(trees.ifLoaded(datasetId)).isPresent();
        // Without its stored subtrees the database could no longer prove membership: the answers below come from memory.
        database.preparedQuery("DELETE FROM dataset_subtree WHERE dataset_id = $1").execute(Tuple.of(datasetId))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(registry.getMembershipProof(first)).isEqualTo(fromDatabase);
        for (String item : items) {
            assertVerifies(registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                    .setDatasetAssetId(dataset.getId()).setItemSha256(item).build()), root, items.size());
        }
        assertThat(registry.getMembershipProof(GetMembershipProofRequest.newBuilder().setDatasetAssetId(dataset.getId())
                .setItemAssetId(fromDatabase.getItemAssetId()).build())).isEqualTo(fromDatabase);
        assertFails(() -> registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(dataset.getId()).setItemAssetId(outsider.getId()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ITEM_NOT_IN_DATASET");
        assertFails(() -> registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(dataset.getId()).setItemSha256(outsider.getSha256()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ITEM_NOT_IN_DATASET");
        assertFails(() -> registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(dataset.getId()).setItemSha256(randomSha()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
        assertFails(() -> registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(dataset.getId()).setItemAssetId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ITEM_NOT_IN_DATASET");
    }

    @Test
    void declaredHashThatIsNotTheMembersRootIsRefused() {
        String alice = contributor(registry);
        String item = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)).getSha256();
        String wrong = randomSha();

        ErrorInfo info = assertFails(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET, wrong,
                alice)).toBuilder().addDatasetMemberSha256(item).build()), Status.Code.INVALID_ARGUMENT, DOMAIN,
                "DATASET_ROOT_MISMATCH");
        assertThat(info.getMetadataMap()).containsEntry("computed_root", independentRoot(List.of(item)))
                .containsEntry("member_count", "1");
        assertNotRegistered(wrong);
    }

    @Test
    void duplicateUnregisteredOrNonItemMembersAreRefused() {
        String alice = contributor(registry);
        String item = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)).getSha256();
        String prompt = register(registry, asset(AssetKind.ASSET_KIND_PROMPT, randomSha(), alice)).getSha256();
        String unknown = randomSha();

        assertFails(() -> registerDataset(alice, List.of(item, item)), Status.Code.INVALID_ARGUMENT, DOMAIN,
                "DATASET_MEMBER_DUPLICATE");
        ErrorInfo missing = assertFails(() -> registerDataset(alice, List.of(item, unknown)),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "ASSET_NOT_FOUND");
        assertThat(missing.getMetadataMap()).containsEntry("sha256", unknown).containsEntry("missing_count", "1");
        assertFails(() -> registerDataset(alice, List.of(item, prompt)), Status.Code.FAILED_PRECONDITION, DOMAIN,
                "ASSET_KIND_MISMATCH");
        assertNotRegistered(independentRoot(List.of(item, unknown)));
        assertNotRegistered(independentRoot(List.of(item, prompt)));
    }

    @Test
    void streamCommitsValidEntriesAndReportsFailedOnesInOrder() {
        String alice = contributor(registry);
        String good1 = randomSha();
        String good2 = randomSha();
        RegisterAssetRequest ghostCreator = request(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(),
                UUID.randomUUID().toString()));
        RegisterAssetRequest first = request(asset(AssetKind.ASSET_KIND_DATA_ITEM, good1, alice));
        List<RegisterAssetsRequest> messages = List.of(
                RegisterAssetsRequest.newBuilder().setAsset(first).build(),
                RegisterAssetsRequest.newBuilder().setAsset(ghostCreator).build(),
                RegisterAssetsRequest.newBuilder().setAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, good2,
                        alice))).build(),
                RegisterAssetsRequest.newBuilder().setAsset(first).build());

        RegisterAssetsResponse response = streaming.registerAssets(Multi.createFrom().iterable(messages))
                .await().atMost(STREAM_TIMEOUT);

        assertThat(response.getResultsList()).extracting(RegisterAssetsResponse.Result::getIndex)
                .containsExactly(0, 1, 2, 3);
        assertThat(response.getResults(1).getError().getReason()).isEqualTo("CONTRIBUTOR_NOT_FOUND");
        assertThat(response.getResults(1).getError().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
        assertThat(response.getResults(0).getRegistered().getSha256()).isEqualTo(good1);
        assertThat(response.getResults(3).getRegistered()).isEqualTo(response.getResults(0).getRegistered());
        assertThat(response.getCreatedCount()).isEqualTo(2);
        assertThat(response.getFailedCount()).isEqualTo(1);
        assertThat(response.getExistingCount()).isEqualTo(1);
        assertThat(registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(good2).build()).getAsset()
                .getId()).isEqualTo(response.getResults(2).getRegistered().getAssetId());
        assertNotRegistered(ghostCreator.getAsset().getSha256());

        RegisterAssetsResponse replay = streaming.registerAssets(Multi.createFrom().iterable(messages))
                .await().atMost(STREAM_TIMEOUT);
        assertThat(replay.getResults(0)).isEqualTo(response.getResults(0));
        assertThat(replay.getResults(2)).isEqualTo(response.getResults(2));
    }

    @Test
    void membersWithoutAPrecedingDatasetEndTheStream() {
        List<RegisterAssetsRequest> messages = List.of(RegisterAssetsRequest.newBuilder()
                .setDatasetMembers(DatasetMembers.newBuilder().addSha256(randomSha())).build());

        assertFails(() -> streaming.registerAssets(Multi.createFrom().iterable(messages)).await()
                .atMost(STREAM_TIMEOUT), Status.Code.INVALID_ARGUMENT, DOMAIN, "STREAM_PROTOCOL_VIOLATION");
    }

    @Test
    void moreEntriesThanTheStreamLimitEndTheStream() {
        List<RegisterAssetsRequest> messages = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            messages.add(RegisterAssetsRequest.newBuilder().setAsset(RegisterAssetRequest.newBuilder()
                    .setRequestId("invalid")).build());
        }
        assertFails(() -> streaming.registerAssets(Multi.createFrom().iterable(messages)).await()
                .atMost(STREAM_TIMEOUT), Status.Code.RESOURCE_EXHAUSTED, DOMAIN, "LIMIT_EXCEEDED");
    }

    @Test
    void proofOfANonMemberOrOfANonDatasetIsRefused() {
        String alice = contributor(registry);
        Asset item = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        Asset outsider = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        String datasetId = registerDataset(alice, List.of(item.getSha256())).getId();

        assertFails(() -> registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(datasetId).setItemAssetId(outsider.getId()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ITEM_NOT_IN_DATASET");
        assertFails(() -> registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(item.getId()).setItemAssetId(outsider.getId()).build()),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "ASSET_KIND_MISMATCH");
        GetMembershipProofResponse single = registry.getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(datasetId).setItemAssetId(item.getId()).build());
        assertVerifies(single, independentRoot(List.of(item.getSha256())), 1);
        assertThat(single.getProof().getAuditPathList()).isEmpty();
    }

    private List<String> registerItems(String creator, int count) {
        List<String> items = new ArrayList<>(count);
        List<RegisterAssetsRequest> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(randomSha());
            entries.add(RegisterAssetsRequest.newBuilder().setAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM,
                    items.getLast(), creator))).build());
        }
        assertThat(streaming.registerAssets(Multi.createFrom().iterable(entries)).await().atMost(STREAM_TIMEOUT)
                .getCreatedCount()).isEqualTo(count);
        return items;
    }

    /** The dataset's stored subtrees as "level/index/hash", in key order. */
    private List<String> storedSubtrees(UUID datasetId) {
        List<String> rows = new ArrayList<>();
        database.preparedQuery("""
                SELECT level, node_index, encode(hash, 'hex') FROM dataset_subtree WHERE dataset_id = $1
                 ORDER BY level, node_index""").execute(Tuple.of(datasetId)).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> rows.add(row.getShort(0) + "/" + row.getLong(1) + "/" + row.getString(2)));
        return rows;
    }

    private static String migration(String resource) {
        try (InputStream in = DatasetRpcTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Asset registerDataset(String creator, List<String> members) {
        return registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET, independentRoot(members), creator))
                .toBuilder().addAllDatasetMemberSha256(members).build()).getAsset();
    }

    private void assertNotRegistered(String sha) {
        assertFails(() -> registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(sha).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
    }

    private static void assertVerifies(GetMembershipProofResponse response, String root, long size) {
        MerkleInclusionProof proof = response.getProof();
        assertThat(response.getDatasetSha256()).isEqualTo(root);
        assertThat(proof.getRootHash()).isEqualTo(root);
        assertThat(proof.getTreeSize()).isEqualTo(size);
        HexFormat hex = HexFormat.of();
        assertThat(proof.getLeafHash()).isEqualTo(hex.formatHex(
                Rfc9162Verifier.leafHash(hex.parseHex(response.getItemSha256()))));
        assertThat(Rfc9162Verifier.verifyInclusion(proof.getLeafIndex(), size, hex.parseHex(proof.getLeafHash()),
                proof.getAuditPathList().stream().map(hex::parseHex).toList(), hex.parseHex(root)))
                .as("proof of leaf %d verifies", proof.getLeafIndex()).isTrue();
    }

    /** The root computed in the test: sort the raw hashes, then RFC 9162 MTH. */
    static String independentRoot(List<String> members) {
        List<byte[]> leaves = new ArrayList<>(members.stream().map(HexFormat.of()::parseHex).toList());
        leaves.sort(Arrays::compareUnsigned);
        return HexFormat.of().formatHex(Rfc9162Verifier.treeHash(leaves));
    }
}
