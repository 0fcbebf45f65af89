package io.tribute.attribution.engine;

import java.util.Objects;

/**
 * A contributor's weight in an asset: a creator's share in ppm, or, in a dataset's aggregate of item
 * creators, the contributor's summed item-creator weight.
 */
public record Creator(String contributorId, long weight) {

    public Creator {
        Objects.requireNonNull(contributorId, "contributorId");
        if (weight < 0) {
            throw new IllegalArgumentException("creator weight must not be negative: " + weight);
        }
    }
}
