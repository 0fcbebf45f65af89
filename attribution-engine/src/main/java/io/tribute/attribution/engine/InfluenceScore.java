package io.tribute.attribution.engine;

import java.math.BigDecimal;
import java.util.Objects;

/** The influence of one data asset on the output, as an exact decimal (negative values count as zero). */
public record InfluenceScore(String assetId, BigDecimal score) {

    public InfluenceScore {
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(score, "score");
    }
}
