package io.tribute.attribution.engine;

import java.util.List;
import java.util.Objects;

/**
 * One asset of a lineage snapshot: its kind, its creators (shares in ppm summing to 1,000,000) and, for a
 * dataset, the aggregated creators of its items (any non-negative weights; empty when unknown or none).
 */
public record LineageNode(String assetId, AssetKind kind, List<Creator> creators, List<Creator> itemCreators) {

    public LineageNode {
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(kind, "kind");
        creators = List.copyOf(creators);
        itemCreators = itemCreators == null ? List.of() : List.copyOf(itemCreators);
    }

    public LineageNode(String assetId, AssetKind kind, List<Creator> creators) {
        this(assetId, kind, creators, List.of());
    }
}
