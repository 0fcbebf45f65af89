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
import java.util.List;

/** Registry lineage and assets ⇄ the engine's lineage snapshot types. */
public final class RegistryLineages {

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
                EdgeType.valueOf(edge.getEdgeType().name().substring("EDGE_TYPE_".length())), edge.getWeightPpm());
    }

    public static AssetKind kind(io.tribute.common.v1.AssetKind kind) {
        return AssetKind.valueOf(kind.name().substring("ASSET_KIND_".length()));
    }

    public static io.tribute.common.v1.AssetKind kind(AssetKind kind) {
        return io.tribute.common.v1.AssetKind.valueOf("ASSET_KIND_" + kind.name());
    }

    public static io.tribute.common.v1.Role role(io.tribute.attribution.engine.Role role) {
        return io.tribute.common.v1.Role.valueOf("ROLE_" + role.name());
    }
}
