package io.tribute.attribution.engine;

import java.util.Objects;

/** A typed lineage link from {@code childId} to the earlier {@code parentId}, with its declared weight in ppm. */
public record LineageEdge(String childId, String parentId, EdgeType type, long weightPpm) {

    public LineageEdge {
        Objects.requireNonNull(childId, "childId");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(type, "type");
        if (weightPpm < 0 || weightPpm > AttributionEngine.PPM_TOTAL) {
            throw new IllegalArgumentException("edge weight must be 0..1000000 ppm: " + weightPpm);
        }
    }

    public LineageEdge(String childId, String parentId, EdgeType type) {
        this(childId, parentId, type, 0);
    }
}
