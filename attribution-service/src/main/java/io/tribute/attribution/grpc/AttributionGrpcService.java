package io.tribute.attribution.grpc;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.mapping.PolicyMapper;
import io.tribute.attribution.service.PolicyService;
import io.tribute.attribution.v1.CreatePolicyRequest;
import io.tribute.attribution.v1.CreatePolicyResponse;
import io.tribute.attribution.v1.GetPolicyRequest;
import io.tribute.attribution.v1.GetPolicyResponse;
import io.tribute.attribution.v1.MutinyAttributionServiceGrpc;
import io.tribute.common.Ids;
import java.util.UUID;

/** The gRPC face of attribution: maps requests to the services and their results back. */
@GrpcService
public class AttributionGrpcService extends MutinyAttributionServiceGrpc.AttributionServiceImplBase {

    private final PolicyService policies;

    public AttributionGrpcService(PolicyService policies) {
        this.policies = policies;
    }

    @Override
    public Uni<CreatePolicyResponse> createPolicy(CreatePolicyRequest request) {
        return policies.create(request);
    }

    @Override
    public Uni<GetPolicyResponse> getPolicy(GetPolicyRequest request) {
        return policies.find(policyId(request.getPolicyId()), request.getVersion())
                .map(policy -> GetPolicyResponse.newBuilder().setPolicy(PolicyMapper.toProto(policy)).build());
    }

    private static UUID policyId(String text) {
        if (text.isEmpty()) {
            return PolicyVersion.DEFAULT_POLICY_ID;
        }
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw ERRORS.invalidArgument("policy_id", "must be a UUID");
        }
        return id;
    }
}
