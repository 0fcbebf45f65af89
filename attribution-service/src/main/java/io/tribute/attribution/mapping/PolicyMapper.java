package io.tribute.attribution.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.v1.Policy;
import io.tribute.attribution.v1.RoleWeight;
import io.tribute.common.v1.Role;

/** Maps policy versions between their stored and their wire form. */
public final class PolicyMapper {

    private PolicyMapper() {
    }

    public static Policy toProto(PolicyVersion policy) {
        return Policy.newBuilder()
                .setId(policy.policyId.toString())
                .setVersion(policy.version)
                .setName(policy.name)
                .setDescription(policy.description)
                .addRoleWeights(weight(Role.ROLE_TRAINING_DATA, policy.trainingDataPpm))
                .addRoleWeights(weight(Role.ROLE_ARCHITECTURE, policy.architecturePpm))
                .addRoleWeights(weight(Role.ROLE_MODEL_BUILDERS, policy.modelBuildersPpm))
                .addRoleWeights(weight(Role.ROLE_PROMPT, policy.promptPpm))
                .addRoleWeights(weight(Role.ROLE_REVIEW, policy.reviewPpm))
                .setFinetuneUpstreamSharePpm(policy.finetuneUpstreamSharePpm)
                .setDepthLimit(policy.depthLimit)
                .setMinimumSharePpm(policy.minimumSharePpm)
                .setDatasetItemFractionPpm(policy.datasetItemFractionPpm)
                .setCreatedAt(Timestamp.newBuilder()
                        .setSeconds(policy.createdAt.toEpochSecond())
                        .setNanos(policy.createdAt.getNano()))
                .setIsDefault(policy.isDefault())
                .build();
    }

    /** Copies the rules of a validated wire policy onto a new version. */
    public static void copyRules(Policy source, PolicyVersion target) {
        target.name = source.getName();
        target.description = source.getDescription();
        for (RoleWeight weight : source.getRoleWeightsList()) {
            int ppm = (int) weight.getWeightPpm();
            switch (weight.getRole()) {
                case ROLE_TRAINING_DATA -> target.trainingDataPpm = ppm;
                case ROLE_ARCHITECTURE -> target.architecturePpm = ppm;
                case ROLE_MODEL_BUILDERS -> target.modelBuildersPpm = ppm;
                case ROLE_PROMPT -> target.promptPpm = ppm;
                case ROLE_REVIEW -> target.reviewPpm = ppm;
                default -> throw new IllegalArgumentException("not a policy role: " + weight.getRole());
            }
        }
        target.finetuneUpstreamSharePpm = source.getFinetuneUpstreamSharePpm();
        target.depthLimit = source.getDepthLimit();
        target.minimumSharePpm = source.getMinimumSharePpm();
        target.datasetItemFractionPpm = source.getDatasetItemFractionPpm();
    }

    private static RoleWeight weight(Role role, int ppm) {
        return RoleWeight.newBuilder().setRole(role).setWeightPpm(ppm).build();
    }
}
