package io.tribute.attribution.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * The rules of one policy version: role weights (ppm, one per role, summing to 1,000,000), the part of a
 * finetune's model-side value passed to its base models, the royalty walk's depth limit and minimum share,
 * and the part of a dataset's value that goes to its items' creators.
 */
public record Policy(Map<Role, Long> roleWeightsPpm, long finetuneUpstreamSharePpm, int depthLimit,
        long minimumSharePpm, long datasetItemFractionPpm) {

    public Policy {
        roleWeightsPpm = Map.copyOf(new EnumMap<>(roleWeightsPpm));
        long sum = 0;
        for (Role role : Role.values()) {
            Long weight = roleWeightsPpm.get(role);
            if (weight == null) {
                throw new IllegalArgumentException("policy lacks a weight for " + role);
            }
            requirePpm(weight, "role weight of " + role);
            sum += weight;
        }
        if (sum != AttributionEngine.PPM_TOTAL) {
            throw new IllegalArgumentException("role weights must sum to 1000000 ppm, not " + sum);
        }
        requirePpm(finetuneUpstreamSharePpm, "finetune upstream share");
        requirePpm(minimumSharePpm, "minimum share");
        requirePpm(datasetItemFractionPpm, "dataset item fraction");
        if (depthLimit < 0) {
            throw new IllegalArgumentException("depth limit must not be negative: " + depthLimit);
        }
    }

    public long weight(Role role) {
        return roleWeightsPpm.get(role);
    }

    private static void requirePpm(long value, String what) {
        if (value < 0 || value > AttributionEngine.PPM_TOTAL) {
            throw new IllegalArgumentException(what + " must be 0..1000000 ppm: " + value);
        }
    }
}
