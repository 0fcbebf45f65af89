package io.tribute.attribution.engine;

import java.util.List;
import java.util.Objects;

/** The assets an output names: its model, its prompt (null when none) and its reviews (empty when none). */
public record OutputAssets(String modelAssetId, String promptAssetId, List<String> reviewAssetIds) {

    public OutputAssets {
        Objects.requireNonNull(modelAssetId, "modelAssetId");
        reviewAssetIds = reviewAssetIds == null ? List.of() : List.copyOf(reviewAssetIds);
    }
}
