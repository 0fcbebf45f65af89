package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.mapping.AssetMapper;
import io.tribute.registry.mapping.WireStrings;
import io.tribute.registry.repository.LineageRepository;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.DatasetItemCreator;
import io.tribute.registry.v1.GetLineageRequest;
import io.tribute.registry.v1.GetLineageResponse;
import io.tribute.registry.v1.LineageDirection;
import io.tribute.registry.v1.LineageEdge;
import io.tribute.registry.v1.LineageNode;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * GetLineage: the subgraph reached from an asset towards its ancestors or descendants, from one recursive
 * query (LineageRepository). Dataset members are never ancestor nodes: a DATASET node carries its
 * item_count and, on request, its items' creators aggregated at registration. Towards descendants a data
 * item leads to the datasets containing it (CONTAINS edges, child = the dataset).
 */
@ApplicationScoped
public class LineageService {

    private final Pool pool;
    private final LineageRepository lineage;
    private final AssetSettings settings;
    /**
     * Answers towards ANCESTORS by request. They never change: an asset's parents are written with it, and a
     * dataset's aggregated item creators with the dataset. Descendants grow, so they are always read.
     */
    private final Cache<GetLineageRequest, GetLineageResponse> ancestors;

    public LineageService(Pool pool, LineageRepository lineage, AssetSettings settings) {
        this.pool = pool;
        this.lineage = lineage;
        this.settings = settings;
        this.ancestors = Caffeine.newBuilder().maximumWeight(settings.lineageCacheNodes())
                .weigher((GetLineageRequest request, GetLineageResponse response) -> 1 + response.getNodesCount())
                .executor(Runnable::run).build();
    }

    public Uni<GetLineageResponse> get(GetLineageRequest request) {
        FieldViolations violations = new FieldViolations();
        UUID start = io.tribute.common.Ids.parseOrNull(request.getAssetId());
        violations.require(start != null, "asset_id", "must be a UUID");
        boolean known = request.getDirection() == LineageDirection.LINEAGE_DIRECTION_ANCESTORS
                || request.getDirection() == LineageDirection.LINEAGE_DIRECTION_DESCENDANTS;
        violations.require(known, "direction", "must be ANCESTORS or DESCENDANTS");
        violations.require(request.getMaxDepth() <= settings.maxLineageDepth(), "max_depth",
                "must be at most " + settings.maxLineageDepth() + " (tribute.registry.max-lineage-depth)");
        for (int i = 0; i < request.getEdgeTypesCount(); i++) {
            EdgeType edge = request.getEdgeTypes(i);
            violations.require(edge != EdgeType.EDGE_TYPE_UNSPECIFIED && edge != EdgeType.UNRECOGNIZED,
                    "edge_types[" + i + "]", "must be a known edge type");
        }
        violations.throwIfAny(ERRORS);
        boolean ancestors = request.getDirection() == LineageDirection.LINEAGE_DIRECTION_ANCESTORS;
        GetLineageResponse cached = ancestors ? this.ancestors.getIfPresent(request) : null;
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        int depth = request.getMaxDepth() == 0 ? settings.defaultLineageDepth() : request.getMaxDepth();
        Short[] edgeTypes = request.getEdgeTypesValueList().stream().map(Integer::shortValue).toArray(Short[]::new);
        Set<EdgeType> followed = new HashSet<>(request.getEdgeTypesList());
        return lineage.walk(pool, start, ancestors, depth, edgeTypes, request.getIncludeDatasetItemCreators(),
                settings.maxLineageNodes() + 1).map(rows -> {
                    if (rows.isEmpty()) {
                        throw AssetQueries.notFound(request.getAssetId());
                    }
                    if (rows.size() > settings.maxLineageNodes()) {
                        throw tooLarge("more than " + settings.maxLineageNodes() + " lineage nodes");
                    }
                    GetLineageResponse response = response(request, rows, followed);
                    if (ancestors) {
                        this.ancestors.put(request, WireStrings.encoded(response));
                    }
                    return response;
                });
    }

    private GetLineageResponse response(GetLineageRequest request, List<Row> rows, Set<EdgeType> followed) {
        GetLineageResponse.Builder response = GetLineageResponse.newBuilder()
                .setAssetId(request.getAssetId())
                .setDirection(request.getDirection());
        Set<String> reached = new HashSet<>();
        List<Asset> assets = new ArrayList<>(rows.size());
        List<LineageEdge> edges = new ArrayList<>();
        long itemCreators = 0;
        for (Row row : rows) {
            Asset asset = AssetMapper.fromRow(row);
            assets.add(asset);
            reached.add(asset.getId());
            LineageNode.Builder node = LineageNode.newBuilder().setAsset(asset).setDepth(row.getInteger("depth"));
            String aggregated = row.getString("item_creators");
            if (aggregated != null) {
                for (String entry : aggregated.split(",")) {
                    String[] parts = entry.split(":");
                    node.addDatasetItemCreators(DatasetItemCreator.newBuilder()
                            .setContributorId(parts[0])
                            .setWeight(Long.parseLong(parts[1]))
                            .setItemCount(Long.parseLong(parts[2])));
                    itemCreators++;
                }
            }
            String contained = row.getString("contained");
            if (contained != null) {
                for (String item : contained.split(",")) {
                    edges.add(LineageEdge.newBuilder().setChildAssetId(asset.getId()).setParentAssetId(item)
                            .setEdgeType(EdgeType.EDGE_TYPE_CONTAINS).build());
                }
            }
            response.addNodes(node);
        }
        if (itemCreators > settings.maxLineageItemCreators()) {
            throw tooLarge("more than " + settings.maxLineageItemCreators() + " dataset item creators");
        }
        for (Asset asset : assets) {
            for (AssetParent parent : asset.getParentsList()) {
                if (reached.contains(parent.getParentAssetId())
                        && (followed.isEmpty() || followed.contains(parent.getEdgeType()))) {
                    edges.add(LineageEdge.newBuilder().setChildAssetId(asset.getId())
                            .setParentAssetId(parent.getParentAssetId()).setEdgeType(parent.getEdgeType())
                            .setWeightPpm(parent.getWeightPpm()).build());
                }
            }
        }
        edges.sort(Comparator.comparing(LineageEdge::getChildAssetId).thenComparing(LineageEdge::getParentAssetId)
                .thenComparing(LineageEdge::getEdgeTypeValue));
        return response.addAllEdges(edges).build();
    }

    private static RuntimeException tooLarge(String message) {
        return ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_RESULT_TOO_LARGE, message + "; ask for less depth",
                Map.of());
    }
}
