package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import io.smallrye.mutiny.Uni;
import io.tribute.common.merkle.MerkleHashing;
import io.tribute.common.merkle.MerkleProofs;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.ErrorReason;
import io.tribute.common.v1.MerkleInclusionProof;
import io.tribute.registry.repository.DatasetRepository;
import io.tribute.registry.repository.DatasetRepository.ItemKey;
import io.tribute.registry.repository.DatasetRepository.ProofTarget;
import io.tribute.registry.v1.GetMembershipProofRequest;
import io.tribute.registry.v1.GetMembershipProofResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * GetMembershipProof. From the database, in one statement: the dataset, the item, its leaf and only what its audit
 * path needs — at most two chunks of 16 leaves and O(log n) stored subtree hashes (see DatasetTree) — then a few
 * dozen hashes. Once the dataset's tree is in memory (DatasetTreeCache, read after its first proof), the statement
 * reads only the item's row.
 */
@ApplicationScoped
public class DatasetProofs {

    private static final HexFormat HEX = HexFormat.of();

    private final Pool pool;
    private final DatasetRepository datasets;
    private final DatasetTreeCache trees;

    public DatasetProofs(Pool pool, DatasetRepository datasets, DatasetTreeCache trees) {
        this.pool = pool;
        this.datasets = datasets;
        this.trees = trees;
    }

    public Uni<GetMembershipProofResponse> prove(GetMembershipProofRequest request) {
        UUID datasetId = AssetQueries.assetId("dataset_asset_id", request.getDatasetAssetId());
        UUID itemId = null;
        byte[] itemSha256 = null;
        switch (request.getItemCase()) {
            case ITEM_ASSET_ID -> itemId = AssetQueries.assetId("item_asset_id", request.getItemAssetId());
            case ITEM_SHA256 -> {
                if (!AssetValidator.isSha256(request.getItemSha256())) {
                    throw ERRORS.invalidArgument("item_sha256", "must be 64 lowercase hex digits");
                }
                itemSha256 = HEX.parseHex(request.getItemSha256());
            }
            case ITEM_NOT_SET -> throw ERRORS.invalidArgument("item", "set item_asset_id or item_sha256");
        }
        Optional<LoadedDatasetTree> loaded = trees.ifLoaded(datasetId);
        if (loaded.isPresent()) {
            LoadedDatasetTree tree = loaded.get();
            return datasets.item(pool, itemId, itemSha256)
                    .map(item -> answer(request, datasetId, inMemory(tree, item), tree.tree()));
        }
        return datasets.proofNodes(pool, datasetId, itemId, itemSha256, DatasetTree.CHUNK_LEVEL).map(nodes -> {
            ProofTarget target = nodes.target();
            GetMembershipProofResponse response = answer(request, datasetId, target,
                    DatasetTree.of(nodes.leaves(), nodes.subtrees()));
            trees.load(datasetId, target.datasetSha256(), target.itemCount());
            return response;
        });
    }

    /** The target of a proof in a dataset whose tree is in memory: the item is a member if its hash is a leaf. */
    private static ProofTarget inMemory(LoadedDatasetTree tree, ItemKey item) {
        long leafIndex = item == null ? -1 : tree.leafIndexOf(item.sha256());
        return new ProofTarget((short) AssetKind.ASSET_KIND_DATASET_VALUE, tree.datasetSha256(), tree.itemCount(),
                item == null ? null : item.id(), item == null ? null : item.sha256(), leafIndex < 0 ? null : leafIndex);
    }

    private static GetMembershipProofResponse answer(GetMembershipProofRequest request, UUID datasetId,
            ProofTarget target, DatasetTree tree) {
        if (target.itemId() == null && request.getItemCase() == GetMembershipProofRequest.ItemCase.ITEM_SHA256) {
            throw ERRORS.notFound(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND,
                    "no asset has sha256 " + request.getItemSha256(), Map.of("sha256", request.getItemSha256()));
        }
        if (target.kind() == null) {
            throw AssetQueries.notFound(request.getDatasetAssetId());
        }
        if (target.kind() != AssetKind.ASSET_KIND_DATASET_VALUE) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_KIND_MISMATCH,
                    "asset " + datasetId + " is not a DATASET", Map.of("asset_id", datasetId.toString()));
        }
        String item = request.getItemCase() == GetMembershipProofRequest.ItemCase.ITEM_SHA256
                ? target.itemId().toString() : request.getItemAssetId();
        if (target.leafIndex() == null) {
            throw ERRORS.notFound(ErrorReason.ERROR_REASON_ITEM_NOT_IN_DATASET,
                    "asset " + item + " is not a member of dataset " + datasetId,
                    Map.of("asset_id", item, "dataset_asset_id", datasetId.toString()));
        }
        return proof(datasetId, target, tree);
    }

    private static GetMembershipProofResponse proof(UUID datasetId, ProofTarget target, DatasetTree tree) {
        long index = target.leafIndex();
        long size = target.itemCount();
        String datasetSha = HEX.formatHex(target.datasetSha256());
        String itemSha = HEX.formatHex(target.itemSha256());
        MerkleInclusionProof.Builder proof = MerkleInclusionProof.newBuilder()
                .setLeafIndex(index)
                .setTreeSize(size)
                .setLeafHash(HEX.formatHex(MerkleHashing.leafHash(target.itemSha256())))
                .setRootHash(datasetSha);
        MerkleProofs.inclusionPath(tree, index, size)
                .forEach(hash -> proof.addAuditPath(HEX.formatHex(hash)));
        return GetMembershipProofResponse.newBuilder()
                .setDatasetAssetId(datasetId.toString())
                .setDatasetSha256(datasetSha)
                .setItemAssetId(target.itemId().toString())
                .setItemSha256(itemSha)
                .setProof(proof)
                .build();
    }
}
