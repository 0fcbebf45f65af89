package io.tribute.attribution.service;

import io.tribute.attribution.v1.Policy;
import io.tribute.attribution.v1.RoleWeight;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.Role;
import java.util.EnumSet;
import java.util.Set;

/** The rules a policy must meet before it may attribute anything. */
final class PolicyValidator {

    static final long PPM = 1_000_000;
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_DESCRIPTION_LENGTH = 2_000;
    private static final Set<Role> ROLES = EnumSet.range(Role.ROLE_TRAINING_DATA, Role.ROLE_REVIEW);

    private PolicyValidator() {
    }

    static void check(Policy policy, int maxDepthLimit, FieldViolations violations) {
        violations.require(!policy.getName().isBlank(), "policy.name", "must not be empty")
                .require(policy.getName().length() <= MAX_NAME_LENGTH, "policy.name",
                        "must be at most " + MAX_NAME_LENGTH + " characters")
                .require(policy.getDescription().length() <= MAX_DESCRIPTION_LENGTH, "policy.description",
                        "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        checkRoleWeights(policy, violations);
        requirePpm(policy.getFinetuneUpstreamSharePpm(), "policy.finetune_upstream_share_ppm", violations);
        requirePpm(policy.getMinimumSharePpm(), "policy.minimum_share_ppm", violations);
        requirePpm(policy.getDatasetItemFractionPpm(), "policy.dataset_item_fraction_ppm", violations);
        violations.require(policy.getDepthLimit() <= maxDepthLimit, "policy.depth_limit",
                "must be at most " + maxDepthLimit);
    }

    private static void checkRoleWeights(Policy policy, FieldViolations violations) {
        Set<Role> seen = EnumSet.noneOf(Role.class);
        long sum = 0;
        for (int i = 0; i < policy.getRoleWeightsCount(); i++) {
            RoleWeight weight = policy.getRoleWeights(i);
            String field = "policy.role_weights[" + i + "]";
            if (!ROLES.contains(weight.getRole())) {
                violations.add(field + ".role", "must be one of " + ROLES);
            } else if (!seen.add(weight.getRole())) {
                violations.add(field + ".role", weight.getRole() + " appears more than once");
            }
            requirePpm(weight.getWeightPpm(), field + ".weight_ppm", violations);
            sum += Integer.toUnsignedLong(weight.getWeightPpm());
        }
        violations.require(seen.equals(ROLES), "policy.role_weights", "must have exactly one entry per role")
                .require(sum == PPM, "policy.role_weights", "weights must sum to exactly 1,000,000 ppm, not " + sum);
    }

    private static void requirePpm(int ppm, String field, FieldViolations violations) {
        violations.require(Integer.toUnsignedLong(ppm) <= PPM, field, "must be at most 1,000,000 ppm");
    }
}
