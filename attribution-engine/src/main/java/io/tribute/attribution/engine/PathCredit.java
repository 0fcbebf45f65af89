package io.tribute.attribution.engine;

import java.math.BigInteger;
import java.util.List;

/**
 * The exact value (a fraction of the output) that reached one contributor through one role and one asset
 * path, from the output's model (or prompt or review) to the credited asset, which is the path's last
 * element. {@code viaDatasetItems}: credited as a creator of that dataset's items, not of the dataset.
 */
public record PathCredit(String contributorId, Role role, List<String> assetPath, boolean viaDatasetItems,
        Fraction value) {

    private static final BigInteger PPT = BigInteger.TEN.pow(12);

    public PathCredit {
        assetPath = List.copyOf(assetPath);
    }

    /** The credited asset: the last of the path. */
    public String assetId() {
        return assetPath.get(assetPath.size() - 1);
    }

    /** The value in parts per 10¹² of the output, rounded down. */
    public long contributionPpt() {
        return value.floorTimes(PPT).longValueExact();
    }
}
