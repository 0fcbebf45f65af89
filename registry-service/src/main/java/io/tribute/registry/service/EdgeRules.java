package io.tribute.registry.service;

import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;

/** Which declared edge types may link a child of one kind to a parent of another (DESIGN.md §1, EdgeType). */
final class EdgeRules {

    private EdgeRules() {
    }

    static boolean allowed(AssetKind child, EdgeType edge, AssetKind parent) {
        return switch (edge) {
            case EDGE_TYPE_TRAINED_ON -> child == AssetKind.ASSET_KIND_MODEL
                    && (parent == AssetKind.ASSET_KIND_DATASET || parent == AssetKind.ASSET_KIND_DATA_ITEM);
            case EDGE_TYPE_FINETUNED_FROM -> child == AssetKind.ASSET_KIND_MODEL && parent == AssetKind.ASSET_KIND_MODEL;
            case EDGE_TYPE_USES_ARCHITECTURE -> child == AssetKind.ASSET_KIND_MODEL
                    && parent == AssetKind.ASSET_KIND_MODEL_ARCHITECTURE;
            case EDGE_TYPE_ADJUSTED_WITH -> child == AssetKind.ASSET_KIND_MODEL
                    && (parent == AssetKind.ASSET_KIND_PARAMETER_ADJUSTMENT || parent == AssetKind.ASSET_KIND_REVIEW);
            case EDGE_TYPE_DERIVED_FROM -> child == parent;
            default -> false;
        };
    }
}
