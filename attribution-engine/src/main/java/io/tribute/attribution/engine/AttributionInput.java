package io.tribute.attribution.engine;

import java.util.Objects;

/** Everything the engine needs for one output; {@code evidence} is null when the platform gave none. */
public record AttributionInput(OutputAssets output, LineageSnapshot lineage, Evidence evidence, Policy policy) {

    public AttributionInput {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(policy, "policy");
    }
}
