package io.tribute.registry.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The limits of asset registration and reads (tribute.registry.*, documented in application.properties). */
@ApplicationScoped
public class AssetSettings {

    @ConfigProperty(name = "tribute.registry.max-creators-per-asset")
    int maxCreatorsPerAsset;
    @ConfigProperty(name = "tribute.registry.max-parents-per-asset")
    int maxParentsPerAsset;
    @ConfigProperty(name = "tribute.registry.max-attributes-per-asset")
    int maxAttributesPerAsset;
    @ConfigProperty(name = "tribute.registry.max-items-per-stream")
    int maxItemsPerStream;
    @ConfigProperty(name = "tribute.registry.max-dataset-members-per-message")
    int maxDatasetMembersPerMessage;
    @ConfigProperty(name = "tribute.registry.max-dataset-items")
    long maxDatasetItems;
    @ConfigProperty(name = "tribute.registry.max-batch-get")
    int maxBatchGet;
    @ConfigProperty(name = "tribute.registry.default-lineage-depth")
    int defaultLineageDepth;
    @ConfigProperty(name = "tribute.registry.max-lineage-depth")
    int maxLineageDepth;
    @ConfigProperty(name = "tribute.registry.max-lineage-nodes")
    int maxLineageNodes;
    @ConfigProperty(name = "tribute.registry.max-lineage-item-creators")
    int maxLineageItemCreators;
    @ConfigProperty(name = "tribute.registry.assets-default-page-size")
    int defaultPageSize;
    @ConfigProperty(name = "tribute.registry.assets-max-page-size")
    int maxPageSize;
    @ConfigProperty(name = "tribute.registry.register-batch-size")
    int registerBatchSize;
    @ConfigProperty(name = "tribute.registry.dataset-insert-batch-size")
    int datasetInsertBatchSize;
    @ConfigProperty(name = "tribute.registry.asset-cache-size")
    int assetCacheSize;
    @ConfigProperty(name = "tribute.registry.lineage-cache-nodes")
    int lineageCacheNodes;
    @ConfigProperty(name = "tribute.registry.dataset-tree-cache-bytes")
    long datasetTreeCacheBytes;
    @ConfigProperty(name = "tribute.registry.unary-batch-size")
    int unaryBatchSize;
    @ConfigProperty(name = "tribute.registry.unary-batches-in-flight")
    int unaryBatchesInFlight;
    @ConfigProperty(name = "tribute.registry.read-batch-size")
    int readBatchSize;
    @ConfigProperty(name = "tribute.registry.read-batches-in-flight")
    int readBatchesInFlight;

    public int maxCreatorsPerAsset() { return maxCreatorsPerAsset; }
    public int maxParentsPerAsset() { return maxParentsPerAsset; }
    public int maxAttributesPerAsset() { return maxAttributesPerAsset; }
    public int maxItemsPerStream() { return maxItemsPerStream; }
    public int maxDatasetMembersPerMessage() { return maxDatasetMembersPerMessage; }
    public long maxDatasetItems() { return maxDatasetItems; }
    public int maxBatchGet() { return maxBatchGet; }
    public int defaultLineageDepth() { return defaultLineageDepth; }
    public int maxLineageDepth() { return maxLineageDepth; }
    public int maxLineageNodes() { return maxLineageNodes; }
    public int maxLineageItemCreators() { return maxLineageItemCreators; }
    public int defaultPageSize() { return defaultPageSize; }
    public int maxPageSize() { return maxPageSize; }
    public int registerBatchSize() { return registerBatchSize; }
    public int datasetInsertBatchSize() { return datasetInsertBatchSize; }
    public int assetCacheSize() { return assetCacheSize; }
    public int lineageCacheNodes() { return lineageCacheNodes; }
    public long datasetTreeCacheBytes() { return datasetTreeCacheBytes; }
    public int unaryBatchSize() { return unaryBatchSize; }
    public int unaryBatchesInFlight() { return unaryBatchesInFlight; }
    public int readBatchSize() { return readBatchSize; }
    public int readBatchesInFlight() { return readBatchesInFlight; }
}
