package io.tribute.attribution.engine;

import java.util.List;

/**
 * The engine's answer: the shares (each ≥ 1 ppm, summing to exactly 1,000,000, ordered by share descending
 * then contributor id ascending) and every path credit (including those of contributors rounded to 0),
 * in a deterministic order.
 */
public record AttributionResult(List<ContributorShare> shares, List<PathCredit> credits) {

    public AttributionResult {
        shares = List.copyOf(shares);
        credits = List.copyOf(credits);
    }
}
