package io.tribute.attribution.mapping;

import io.tribute.attribution.engine.AssetKind;
import io.tribute.attribution.engine.Creator;
import io.tribute.attribution.engine.EdgeType;
import io.tribute.attribution.engine.LineageEdge;
import io.tribute.attribution.engine.LineageNode;
import io.tribute.common.v1.CreatorShare;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.DatasetItemCreator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Registry lineage and assets ⇄ the engine's lineage snapshot types. */
public final class RegistryLineages {

    // The names pair up (EDGE_TYPE_X ⇄ X, ASSET_KIND_X ⇄ X, ROLE_X ⇄ X): resolved once, not per call, as every
    // attribution maps each node, edge, credited path and asset row.
    private static final Map<io.tribute.common.v1.EdgeType, EdgeType> EDGE_TYPES = byName(
            io.tribute.common.v1.EdgeType.class, EdgeType.class, "EDGE_TYPE_", "");
    private static final Map<io.tribute.common.v1.AssetKind, AssetKind> KINDS = byName(
            io.tribute.common.v1.AssetKind.class, AssetKind.class, "ASSET_KIND_", "");
    private static final Map<AssetKind, io.tribute.common.v1.AssetKind> PROTO_KINDS = byName(
            AssetKind.class, io.tribute.common.v1.AssetKind.class, "", "ASSET_KIND_");
    private static final Map<io.tribute.attribution.engine.Role, io.tribute.common.v1.Role> PROTO_ROLES = byName(
            io.tribute.attribution.engine.Role.class, io.tribute.common.v1.Role.class, "", "ROLE_");

    private RegistryLineages() {
    }

    public static LineageNode node(Asset asset, List<DatasetItemCreator> itemCreators) {
        List<Creator> creators = new ArrayList<>();
        for (CreatorShare creator : asset.getCreatorsList()) {
            creators.add(new Creator(creator.getContributorId(), creator.getSharePpm()));
        }
        List<Creator> items = new ArrayList<>();
        for (DatasetItemCreator item : itemCreators) {
            items.add(new Creator(item.getContributorId(), item.getWeight()));
        }
        return new LineageNode(asset.getId(), kind(asset.getKind()), creators, items);
    }

    public static LineageEdge edge(io.tribute.registry.v1.LineageEdge edge) {
        return new LineageEdge(edge.getChildAssetId(), edge.getParentAssetId(),
                edgeType(edge.getEdgeType()), edge.getWeightPpm());
    }

    private static EdgeType edgeType(io.tribute.common.v1.EdgeType type) {
        EdgeType found = EDGE_TYPES.get(type);
        return found != null ? found : EdgeType.valueOf(type.name().substring("EDGE_TYPE_".length()));
    }

    public static AssetKind kind(io.tribute.common.v1.AssetKind kind) {
        AssetKind found = KINDS.get(kind);
        return found != null ? found : AssetKind.valueOf(kind.name().substring("ASSET_KIND_".length()));
    }

    public static io.tribute.common.v1.AssetKind kind(AssetKind kind) {
        io.tribute.common.v1.AssetKind found = PROTO_KINDS.get(kind);
        return found != null ? found : io.tribute.common.v1.AssetKind.valueOf("ASSET_KIND_" + kind.name());
    }

    public static io.tribute.common.v1.Role role(io.tribute.attribution.engine.Role role) {
        io.tribute.common.v1.Role found = PROTO_ROLES.get(role);
        return found != null ? found : io.tribute.common.v1.Role.valueOf("ROLE_" + role.name());
    }

    /** {@code from}'s constants paired with the {@code to} constant whose name is theirs with the prefixes swapped. */
    private static <F extends Enum<F>, T extends Enum<T>> Map<F, T> byName(Class<F> from, Class<T> to,
            String fromPrefix, String toPrefix) {
        Map<F, T> found = new EnumMap<>(from);
        for (F constant : from.getEnumConstants()) {
            if (constant.name().startsWith(fromPrefix)) {
                String name = toPrefix + constant.name().substring(fromPrefix.length());
                Arrays.stream(to.getEnumConstants()).filter(c -> c.name().equals(name)).findFirst()
                        .ifPresent(match -> found.put(constant, match));
            }
        }
        return found;
    }
}
