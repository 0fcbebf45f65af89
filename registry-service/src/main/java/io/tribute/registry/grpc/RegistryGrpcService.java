package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.registry.Contributor;
import io.tribute.registry.mapping.ContributorMapper;
import io.tribute.registry.service.ContributorService;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateContributorResponse;
import io.tribute.registry.v1.GetContributorRequest;
import io.tribute.registry.v1.GetContributorResponse;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc;
import java.util.UUID;

/** The gRPC face of the registry: maps requests to the services and their results back. */
@GrpcService
public class RegistryGrpcService extends MutinyRegistryServiceGrpc.RegistryServiceImplBase {

    private final ContributorService contributors;

    public RegistryGrpcService(ContributorService contributors) {
        this.contributors = contributors;
    }

    @Override
    public Uni<CreateContributorResponse> createContributor(CreateContributorRequest request) {
        return contributors.create(request);
    }

    @Override
    public Uni<GetContributorResponse> getContributor(GetContributorRequest request) {
        Uni<Contributor> contributor = switch (request.getKeyCase()) {
            case CONTRIBUTOR_ID -> contributors.findById(contributorId(request.getContributorId()));
            case EXTERNAL_REF -> contributors.findByExternalRef(request.getExternalRef());
            case KEY_NOT_SET -> throw ERRORS.invalidArgument("key", "set contributor_id or external_ref");
        };
        return contributor.map(found -> GetContributorResponse.newBuilder()
                .setContributor(ContributorMapper.toProto(found))
                .build());
    }

    private static UUID contributorId(String text) {
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw ERRORS.invalidArgument("contributor_id", "must be a UUID");
        }
        return id;
    }
}
