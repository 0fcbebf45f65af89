package io.tribute.attribution.engine;

import java.util.List;

/** The assets and edges read from the registry for one output, in any order. */
public record LineageSnapshot(List<LineageNode> nodes, List<LineageEdge> edges) {

    public LineageSnapshot {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }
}
