package io.tribute.registry.service;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.repository.DatasetRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Datasets' trees held in memory, so that a membership proof reads one asset row instead of the tree. A dataset's
 * members and subtrees never change after registration: nothing is invalidated. A tree is read in the background
 * after a proof answered from the database; memory is bounded by tribute.registry.dataset-tree-cache-bytes, and a
 * dataset too large for it is always proved from the database.
 */
@ApplicationScoped
public class DatasetTreeCache {

    private static final Logger LOG = Logger.getLogger(DatasetTreeCache.class);

    private final Pool pool;
    private final DatasetRepository datasets;
    private final long maxBytes;
    private final AsyncCache<UUID, LoadedDatasetTree> trees;
    /** Datasets whose stored tree did not match their size (changed by hand): not read again. */
    private final Set<UUID> mismatched = ConcurrentHashMap.newKeySet();

    public DatasetTreeCache(Pool pool, DatasetRepository datasets, AssetSettings settings) {
        this.pool = pool;
        this.datasets = datasets;
        this.maxBytes = settings.datasetTreeCacheBytes();
        this.trees = Caffeine.newBuilder().maximumWeight(Math.max(1, maxBytes))
                .weigher((UUID id, LoadedDatasetTree tree) -> (int) Math.min(Integer.MAX_VALUE, tree.bytes()))
                .buildAsync();
    }

    /** The dataset's tree if it is in memory; never waits and never reads. */
    public Optional<LoadedDatasetTree> ifLoaded(UUID datasetId) {
        CompletableFuture<LoadedDatasetTree> tree = trees.getIfPresent(datasetId);
        return tree != null && tree.isDone() && !tree.isCompletedExceptionally()
                ? Optional.ofNullable(tree.join()) : Optional.empty();
    }

    /**
     * Starts reading a dataset's tree into memory unless it is there or on its way already, or does not fit. The
     * future completes with the tree, or with null when it was not kept.
     */
    public CompletableFuture<LoadedDatasetTree> load(UUID datasetId, byte[] datasetSha256, long itemCount) {
        if (LoadedDatasetTree.bytesFor(itemCount) > maxBytes || mismatched.contains(datasetId)) {
            return CompletableFuture.completedFuture(null);
        }
        return trees.get(datasetId, (id, executor) -> datasets.tree(pool, id)
                .map(stored -> {
                    LoadedDatasetTree tree = LoadedDatasetTree.of(datasetSha256, itemCount, stored.itemBlocks(),
                            stored.subtreesByLevel());
                    if (tree == null) {
                        mismatched.add(id);
                        LOG.warnf("dataset %s: the stored tree does not match its %d members; proofs read the"
                                + " database", id, itemCount);
                    }
                    return tree;
                })
                .subscribeAsCompletionStage());
    }
}
