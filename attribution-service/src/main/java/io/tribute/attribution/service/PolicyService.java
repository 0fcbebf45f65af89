package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.mapping.PolicyMapper;
import io.tribute.attribution.repository.PolicyVersionRepository;
import io.tribute.attribution.v1.CreatePolicyRequest;
import io.tribute.attribution.v1.CreatePolicyResponse;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates policy versions and finds them; owns their validation and transactions. */
@ApplicationScoped
public class PolicyService {

    private final PolicyVersionRepository policies;
    private final IdempotentRequests idempotentRequests;
    private final int maxDepthLimit;

    public PolicyService(PolicyVersionRepository policies, IdempotentRequests idempotentRequests,
            @ConfigProperty(name = "tribute.attribution.max-depth-limit") int maxDepthLimit) {
        this.policies = policies;
        this.idempotentRequests = idempotentRequests;
        this.maxDepthLimit = maxDepthLimit;
    }

    @WithTransaction
    public Uni<CreatePolicyResponse> create(CreatePolicyRequest request) {
        UUID basePolicyId = validate(request);
        return idempotentRequests.once(ERRORS, "CreatePolicy", request.getRequestId(), request,
                CreatePolicyResponse.parser(), () -> insert(request, basePolicyId));
    }

    /** The version asked for; the latest when {@code version} is 0. */
    @WithSession
    public Uni<PolicyVersion> find(UUID policyId, int version) {
        Uni<PolicyVersion> found = version == 0 ? policies.findLatest(policyId) : policies.findVersion(policyId, version);
        return found.onItem().ifNull().failWith(() -> ERRORS.notFound(ErrorReason.ERROR_REASON_POLICY_NOT_FOUND,
                "no policy " + policyId + (version == 0 ? "" : " version " + version),
                Map.of("policy_id", policyId.toString())));
    }

    private Uni<CreatePolicyResponse> insert(CreatePolicyRequest request, UUID basePolicyId) {
        Uni<Integer> nextVersion = basePolicyId == null
                ? Uni.createFrom().item(1)
                : policies.lockLatest(basePolicyId).map(latest -> {
                    if (latest == null) {
                        throw ERRORS.notFound(ErrorReason.ERROR_REASON_POLICY_NOT_FOUND, "no policy " + basePolicyId,
                                Map.of("policy_id", basePolicyId.toString()));
                    }
                    return latest.version + 1;
                });
        return nextVersion.chain(version -> {
            PolicyVersion policy = new PolicyVersion();
            policy.policyId = basePolicyId == null ? Ids.newId() : basePolicyId;
            policy.version = version;
            PolicyMapper.copyRules(request.getPolicy(), policy);
            policy.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            return policies.persistAndFlush(policy);
        }).map(created -> CreatePolicyResponse.newBuilder().setPolicy(PolicyMapper.toProto(created)).build());
    }

    /** Checks the whole request and returns the policy it versions, or null for a new policy. */
    private UUID validate(CreatePolicyRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID");
        UUID basePolicyId = null;
        if (!request.getPolicyId().isEmpty()) {
            basePolicyId = Ids.parseOrNull(request.getPolicyId());
            violations.require(basePolicyId != null, "policy_id", "must be a UUID");
        }
        violations.require(request.hasPolicy(), "policy", "is required");
        PolicyValidator.check(request.getPolicy(), maxDepthLimit, violations);
        violations.throwIfAny(ERRORS);
        return basePolicyId;
    }
}
