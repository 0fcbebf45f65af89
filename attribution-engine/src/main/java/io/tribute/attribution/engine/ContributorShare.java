package io.tribute.attribution.engine;

import java.util.List;

/**
 * One contributor's rounded share in ppm, the exact value it was rounded from, and every path that credited
 * the contributor, largest first (ties by role, then path, then direct before via-items).
 */
public record ContributorShare(String contributorId, long sharePpm, Fraction exactValue, List<PathCredit> paths) {

    public ContributorShare {
        paths = List.copyOf(paths);
    }
}
