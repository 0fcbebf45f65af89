package io.tribute.attribution.grpc;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.mapping.LogMapper;
import io.tribute.attribution.mapping.PolicyMapper;
import io.tribute.attribution.service.AttributionListing;
import io.tribute.attribution.service.AttributionService;
import io.tribute.attribution.service.AttributionStreams;
import io.tribute.attribution.service.AttributionSummaries;
import io.tribute.attribution.service.CheckpointSigner;
import io.tribute.attribution.service.PolicyService;
import io.tribute.attribution.service.TransparencyLog;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.tribute.attribution.v1.AttributeOutputsRequest;
import io.tribute.attribution.v1.AttributeOutputsResponse;
import io.tribute.attribution.v1.CreatePolicyRequest;
import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.attribution.v1.GetAttributionResponse;
import io.tribute.attribution.v1.ListAttributionsRequest;
import io.tribute.attribution.v1.ListAttributionsResponse;
import io.tribute.attribution.v1.RecomputeAttributionRequest;
import io.tribute.attribution.v1.RecomputeAttributionResponse;
import io.tribute.attribution.v1.CreatePolicyResponse;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetCheckpointResponse;
import io.tribute.attribution.v1.GetConsistencyProofRequest;
import io.tribute.attribution.v1.GetConsistencyProofResponse;
import io.tribute.attribution.v1.GetInclusionProofRequest;
import io.tribute.attribution.v1.GetInclusionProofResponse;
import io.tribute.attribution.v1.GetPolicyRequest;
import io.tribute.attribution.v1.GetPolicyResponse;
import io.tribute.attribution.v1.ListPoliciesRequest;
import io.tribute.attribution.v1.ListPoliciesResponse;
import io.tribute.attribution.v1.MutinyAttributionServiceGrpc;
import io.tribute.attribution.v1.SummarizeAttributionsRequest;
import io.tribute.attribution.v1.SummarizeAttributionsResponse;
import io.tribute.common.Ids;
import io.grpc.Context;
import java.util.HexFormat;
import java.util.UUID;

/** The gRPC face of attribution: maps requests to the services and their results back. */
@GrpcService
public class AttributionGrpcService extends MutinyAttributionServiceGrpc.AttributionServiceImplBase {

    private final PolicyService policies;
    private final TransparencyLog log;
    private final CheckpointSigner signer;
    private final AttributionService attributions;
    private final AttributionListing listing;
    private final AttributionSummaries summaries;
    private final AttributionStreams streams;

    public AttributionGrpcService(PolicyService policies, TransparencyLog log, CheckpointSigner signer,
            AttributionService attributions, AttributionListing listing, AttributionSummaries summaries,
            AttributionStreams streams) {
        this.policies = policies;
        this.streams = streams;
        this.summaries = summaries;
        this.attributions = attributions;
        this.listing = listing;
        this.log = log;
        this.signer = signer;
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

    @Override
    public Uni<ListPoliciesResponse> listPolicies(ListPoliciesRequest request) {
        return policies.list(request);
    }

    @Override
    public Uni<AttributeOutputResponse> attributeOutput(AttributeOutputRequest request) {
        return attributions.attribute(request, Context.current().getDeadline());
    }

    @Override
    public Multi<AttributeOutputsResponse> attributeOutputs(Multi<AttributeOutputsRequest> requests) {
        return streams.attribute(requests, Context.current().getDeadline());
    }

    @Override
    public Uni<GetAttributionResponse> getAttribution(GetAttributionRequest request) {
        Uni<io.tribute.attribution.v1.Attribution> found = switch (request.getKeyCase()) {
            case ATTRIBUTION_ID -> {
                requireUuid(request.getAttributionId(), "attribution_id");
                yield attributions.get(request.getAttributionId(), null, request.getIncludeEvidence());
            }
            case OUTPUT_SHA256 -> {
                if (!request.getOutputSha256().matches("[0-9a-f]{64}")) {
                    throw ERRORS.invalidArgument("output_sha256", "must be 64 lowercase hex digits");
                }
                yield attributions.get(null, request.getOutputSha256(), request.getIncludeEvidence());
            }
            case KEY_NOT_SET -> throw ERRORS.invalidArgument("key", "attribution_id or output_sha256 is required");
        };
        return found.map(attribution -> GetAttributionResponse.newBuilder().setAttribution(attribution).build());
    }

    @Override
    public Uni<ListAttributionsResponse> listAttributions(ListAttributionsRequest request) {
        return listing.list(request);
    }

    @Override
    public Uni<SummarizeAttributionsResponse> summarizeAttributions(SummarizeAttributionsRequest request) {
        return summaries.summarize(request);
    }

    @Override
    public Uni<RecomputeAttributionResponse> recomputeAttribution(RecomputeAttributionRequest request) {
        requireUuid(request.getAttributionId(), "attribution_id");
        return attributions.recompute(request.getAttributionId(), request.getIncludeInputs());
    }

    @Override
    public Uni<GetCheckpointResponse> getCheckpoint(GetCheckpointRequest request) {
        return log.checkpoint().map(checkpoint -> GetCheckpointResponse.newBuilder()
                .setCheckpoint(LogMapper.toProto(checkpoint, signer.origin())).build());
    }

    @Override
    public Uni<GetInclusionProofResponse> getInclusionProof(GetInclusionProofRequest request) {
        Uni<Long> index = switch (request.getLeafCase()) {
            case LOG_INDEX -> Uni.createFrom().item(request.getLogIndex());
            case ATTRIBUTION_ID -> attributionLogIndex(request.getAttributionId());
            case LEAF_NOT_SET -> throw ERRORS.invalidArgument("leaf", "attribution_id or log_index is required");
        };
        return index.chain(leaf -> log.inclusionProof(leaf, request.getTreeSize())).map(proof -> {
            GetInclusionProofResponse.Builder response = GetInclusionProofResponse.newBuilder()
                    .setAttributionHash(HexFormat.of().formatHex(proof.leafData()))
                    .setProof(LogMapper.toProto(proof));
            if (proof.checkpoint() != null) {
                response.setCheckpoint(LogMapper.toProto(proof.checkpoint(), signer.origin()));
            }
            return response.build();
        });
    }

    @Override
    public Uni<GetConsistencyProofResponse> getConsistencyProof(GetConsistencyProofRequest request) {
        if (request.getFirstTreeSize() == 0) {
            throw ERRORS.invalidArgument("first_tree_size", "must be at least 1");
        }
        return log.consistencyProof(request.getFirstTreeSize(), request.getSecondTreeSize())
                .map(proof -> LogMapper.toProto(proof, signer.origin()));
    }

    private Uni<Long> attributionLogIndex(String attributionId) {
        requireUuid(attributionId, "attribution_id");
        return attributions.logIndex(attributionId);
    }

    private static void requireUuid(String text, String field) {
        if (Ids.parseOrNull(text) == null) {
            throw ERRORS.invalidArgument(field, "must be a UUID");
        }
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
