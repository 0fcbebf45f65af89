package io.tribute.attribution.engine;

import java.util.List;

/** Influence scores for one output, in any order, each asset at most once. */
public record Evidence(List<InfluenceScore> scores) {

    public Evidence {
        scores = List.copyOf(scores);
    }
}
