package io.tribute.attribution.client;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.BatchGetAssetsRequest;
import io.tribute.registry.v1.GetLineageRequest;
import io.tribute.registry.v1.GetLineageResponse;
import io.tribute.registry.v1.LineageDirection;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc.MutinyRegistryServiceStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one seam to registry-service: ancestor lineages and assets, cached in bounded LRU caches (assets and
 * their ancestors never change), with every call bounded by the caller's deadline and registry failures
 * mapped to this service's errors (UNAVAILABLE / DEADLINE_EXCEEDED with reason PEER_UNAVAILABLE).
 */
@ApplicationScoped
public class RegistryClient {

    private static final List<EdgeType> ATTRIBUTION_EDGES = List.of(EdgeType.EDGE_TYPE_FINETUNED_FROM,
            EdgeType.EDGE_TYPE_TRAINED_ON, EdgeType.EDGE_TYPE_USES_ARCHITECTURE, EdgeType.EDGE_TYPE_ADJUSTED_WITH);

    private final MutinyRegistryServiceStub registry;
    private final int lineageDepth;
    private final int batchGetSize;
    private final Map<String, GetLineageResponse> lineages;
    private final Map<String, Asset> assets;

    public RegistryClient(@GrpcClient("registry") MutinyRegistryServiceStub registry,
            @ConfigProperty(name = "tribute.attribution.registry.lineage-depth") int lineageDepth,
            @ConfigProperty(name = "tribute.attribution.registry.batch-get-size") int batchGetSize,
            @ConfigProperty(name = "tribute.attribution.registry.cache-entries") int cacheEntries,
            @ConfigProperty(name = "tribute.attribution.registry.asset-cache-entries") int assetCacheEntries) {
        this.registry = registry;
        this.lineageDepth = lineageDepth;
        this.batchGetSize = batchGetSize;
        this.lineages = lruCache(cacheEntries);
        this.assets = lruCache(assetCacheEntries);
    }

    /** The ancestors of an asset along the edges attribution walks, with datasets' item creators. */
    public Uni<GetLineageResponse> ancestors(String assetId, Deadline deadline) {
        GetLineageResponse cached = lineages.get(assetId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        GetLineageRequest request = GetLineageRequest.newBuilder()
                .setAssetId(assetId)
                .setDirection(LineageDirection.LINEAGE_DIRECTION_ANCESTORS)
                .setMaxDepth(lineageDepth)
                .addAllEdgeTypes(ATTRIBUTION_EDGES)
                .setIncludeDatasetItemCreators(true)
                .build();
        return withDeadline(deadline).getLineage(request)
                .onFailure(StatusRuntimeException.class).transform(this::translate)
                .invoke(response -> lineages.put(assetId, response));
    }

    /** The assets with these ids (each once), from the cache or in batches from the registry. */
    public Uni<Map<String, Asset>> assets(List<String> ids, Deadline deadline) {
        Map<String, Asset> found = new LinkedHashMap<>();
        Set<String> absent = new LinkedHashSet<>();
        for (String id : ids) {
            Asset asset = assets.get(id);
            if (asset != null) {
                found.put(id, asset);
            } else {
                absent.add(id);
            }
        }
        List<String> missing = new ArrayList<>(absent);
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        // The batches are read concurrently: an output with 100,000 scores needs 100 of them.
        List<Uni<List<Asset>>> batches = new ArrayList<>();
        for (int start = 0; start < missing.size(); start += batchGetSize) {
            List<String> batch = missing.subList(start, Math.min(missing.size(), start + batchGetSize));
            batches.add(withDeadline(deadline)
                    .batchGetAssets(BatchGetAssetsRequest.newBuilder().addAllAssetIds(batch).build())
                    .onFailure(StatusRuntimeException.class).transform(this::translate)
                    .map(response -> response.getAssetsList()));
        }
        return Uni.join().all(batches).andFailFast().map(responses -> {
            for (List<Asset> batch : responses) {
                for (Asset asset : batch) {
                    assets.put(asset.getId(), asset);
                    found.put(asset.getId(), asset);
                }
            }
            return found;
        });
    }

    private MutinyRegistryServiceStub withDeadline(Deadline deadline) {
        return deadline == null ? registry : registry.withDeadline(deadline);
    }

    private RuntimeException translate(Throwable failure) {
        Status status = ((StatusRuntimeException) failure).getStatus();
        Map<String, String> peer = Map.of("peer", "registry");
        return switch (status.getCode()) {
            case NOT_FOUND -> ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND,
                    "an asset of the output is not registered: " + status.getDescription(), peer);
            case FAILED_PRECONDITION -> ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_RESULT_TOO_LARGE,
                    "the lineage exceeds the registry's limits: " + status.getDescription(), peer);
            case DEADLINE_EXCEEDED -> ERRORS.status(Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_PEER_UNAVAILABLE,
                    "registry-service did not answer in time", peer);
            default -> ERRORS.status(Code.UNAVAILABLE, ErrorReason.ERROR_REASON_PEER_UNAVAILABLE,
                    "registry-service is unavailable, retry later", peer);
        };
    }

    /** A deadline no later than the caller's remaining time nor the configured one, whichever comes first. */
    public static Deadline earliest(Deadline callers, long configuredMillis) {
        Deadline configured = Deadline.after(configuredMillis, TimeUnit.MILLISECONDS);
        return callers == null ? configured : callers.minimum(configured);
    }

    private static <V> Map<String, V> lruCache(int maxEntries) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        });
    }
}
