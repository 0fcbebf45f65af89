package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;
import static io.tribute.attribution.grpc.AttributionErrors.PAGE_TOKENS;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.mapping.PolicyMapper;
import io.tribute.attribution.repository.PolicyVersionRepository;
import io.tribute.attribution.v1.CreatePolicyRequest;
import io.tribute.attribution.v1.CreatePolicyResponse;
import io.tribute.attribution.v1.ListPoliciesRequest;
import io.tribute.attribution.v1.ListPoliciesResponse;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates policy versions and finds them; owns their validation and transactions. */
@ApplicationScoped
public class PolicyService {

    /** Joins the id token and the version of a ListPolicies cursor; never part of base64url. */
    private static final char TOKEN_VERSION_SEPARATOR = '.';

    private final PolicyVersionRepository policies;
    private final IdempotentRequests idempotentRequests;
    private final int maxDepthLimit;
    private final int defaultPageSize;
    private final int maxPageSize;

    public PolicyService(PolicyVersionRepository policies, IdempotentRequests idempotentRequests,
            @ConfigProperty(name = "tribute.attribution.max-depth-limit") int maxDepthLimit,
            @ConfigProperty(name = "tribute.attribution.policies.default-page-size") int defaultPageSize,
            @ConfigProperty(name = "tribute.attribution.policies.max-page-size") int maxPageSize) {
        this.policies = policies;
        this.idempotentRequests = idempotentRequests;
        this.maxDepthLimit = maxDepthLimit;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
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

    /**
     * One page of policy versions in (policy id, version) order. The cursor is the last (id, version): the
     * token carries the id and binds the version into its filter text, so an edited version is refused.
     */
    @WithSession
    public Uni<ListPoliciesResponse> list(ListPoliciesRequest request) {
        UUID policyId = request.getPolicyId().isEmpty() ? null : Ids.parseOrNull(request.getPolicyId());
        new FieldViolations()
                .require(request.getPageSize() >= 0, "page_size", "must not be negative")
                .require(request.getPolicyId().isEmpty() || policyId != null, "policy_id", "must be a UUID or empty")
                .throwIfAny(ERRORS);
        String filters = "policy_id=" + request.getPolicyId() + ";latest_only=" + request.getLatestOnly();
        UUID afterId = null;
        int afterVersion = 0;
        if (!request.getPageToken().isEmpty()) {
            int dot = request.getPageToken().lastIndexOf(TOKEN_VERSION_SEPARATOR);
            afterVersion = dot < 0 ? -1 : parseVersion(request.getPageToken().substring(dot + 1));
            afterId = PAGE_TOKENS.decodeId(dot < 0 ? request.getPageToken() : request.getPageToken().substring(0, dot),
                    filters + ";version=" + afterVersion);
        }
        int pageSize = request.getPageSize() == 0 ? defaultPageSize : Math.min(request.getPageSize(), maxPageSize);
        return policies.list(policyId, request.getLatestOnly(), afterId, afterVersion, pageSize + 1).map(found -> {
            ListPoliciesResponse.Builder response = ListPoliciesResponse.newBuilder();
            List<PolicyVersion> page = found.subList(0, Math.min(pageSize, found.size()));
            page.forEach(policy -> response.addPolicies(PolicyMapper.toProto(policy)));
            if (found.size() > pageSize) {
                PolicyVersion last = page.getLast();
                response.setNextPageToken(PAGE_TOKENS.encode(filters + ";version=" + last.version, last.policyId)
                        + TOKEN_VERSION_SEPARATOR + last.version);
            }
            return response.build();
        });
    }

    private static int parseVersion(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
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
