package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.registry.service.ContributorService;
import io.tribute.registry.service.ManifestService;
import io.tribute.registry.service.WalletService;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.BindWalletResponse;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
import io.tribute.registry.v1.CreateWalletChallengeResponse;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateContributorResponse;
import io.tribute.registry.v1.GetContributorRequest;
import io.tribute.registry.v1.GetContributorResponse;
import io.tribute.registry.v1.GetManifestRequest;
import io.tribute.registry.v1.GetManifestResponse;
import io.tribute.registry.v1.ListSigningKeysRequest;
import io.tribute.registry.v1.ListSigningKeysResponse;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.registry.v1.VerifyContentResponse;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.ListContributorsResponse;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc;
import io.smallrye.mutiny.Multi;
import io.tribute.registry.service.AssetQueries;
import io.tribute.registry.service.UnaryRegistrations;
import io.tribute.registry.service.AssetStreams;
import io.tribute.registry.service.DatasetProofs;
import io.tribute.registry.service.LineageService;
import io.tribute.registry.v1.BatchGetAssetsRequest;
import io.tribute.registry.v1.BatchGetAssetsResponse;
import io.tribute.registry.v1.GetAssetRequest;
import io.tribute.registry.v1.GetAssetResponse;
import io.tribute.registry.v1.GetLineageRequest;
import io.tribute.registry.v1.GetLineageResponse;
import io.tribute.registry.v1.GetMembershipProofRequest;
import io.tribute.registry.v1.GetMembershipProofResponse;
import io.tribute.registry.v1.ListAssetsRequest;
import io.tribute.registry.v1.ListAssetsResponse;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.LookupAssetResponse;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetResponse;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import jakarta.inject.Inject;
import java.util.UUID;

/** The gRPC face of the registry: maps requests to the services and their results back. */
@GrpcService
public class RegistryGrpcService extends MutinyRegistryServiceGrpc.RegistryServiceImplBase {

    private final ContributorService contributors;
    private final WalletService wallets;
    private final OperatorCredentials operatorCredentials;
    @Inject
    ManifestService manifests;

    // Assets, lineage and datasets (field-injected so both halves of the service can grow independently).
    @Inject
    UnaryRegistrations unaryRegistrations;
    @Inject
    AssetStreams assetStreams;
    @Inject
    AssetQueries assetQueries;
    @Inject
    LineageService lineage;
    @Inject
    DatasetProofs datasetProofs;

    public RegistryGrpcService(ContributorService contributors, WalletService wallets,
            OperatorCredentials operatorCredentials) {
        this.contributors = contributors;
        this.wallets = wallets;
        this.operatorCredentials = operatorCredentials;
    }

    @Override
    public Uni<CreateContributorResponse> createContributor(CreateContributorRequest request) {
        return contributors.create(request);
    }

    @Override
    public Uni<GetContributorResponse> getContributor(GetContributorRequest request) {
        Uni<Contributor> contributor = switch (request.getKeyCase()) {
            case CONTRIBUTOR_ID -> contributors.get(contributorId(request.getContributorId()));
            case EXTERNAL_REF -> contributors.getByExternalRef(request.getExternalRef());
            case KEY_NOT_SET -> throw ERRORS.invalidArgument("key", "set contributor_id or external_ref");
        };
        return contributor.map(found -> GetContributorResponse.newBuilder().setContributor(found).build());
    }

    @Override
    public Uni<ListContributorsResponse> listContributors(ListContributorsRequest request) {
        return contributors.list(request);
    }

    @Override
    public Uni<CreateWalletChallengeResponse> createWalletChallenge(CreateWalletChallengeRequest request) {
        return wallets.createChallenge(request);
    }

    @Override
    public Uni<BindWalletResponse> bindWallet(BindWalletRequest request) {
        // Read here, on the call's own context: the credentials travel in the gRPC context, not the request.
        return wallets.bind(request, operatorCredentials.currentCallIsOperator());
    }

    @Override
    public Uni<RegisterAssetResponse> registerAsset(RegisterAssetRequest request) {
        return unaryRegistrations.register(request);
    }

    @Override
    public Uni<RegisterAssetsResponse> registerAssets(Multi<RegisterAssetsRequest> request) {
        return assetStreams.register(request);
    }

    @Override
    public Uni<GetAssetResponse> getAsset(GetAssetRequest request) {
        return assetQueries.get(request.getAssetId())
                .map(asset -> GetAssetResponse.newBuilder().setAsset(asset).build());
    }

    @Override
    public Uni<BatchGetAssetsResponse> batchGetAssets(BatchGetAssetsRequest request) {
        return assetQueries.batchGet(request.getAssetIdsList())
                .map(assets -> BatchGetAssetsResponse.newBuilder().addAllAssets(assets).build());
    }

    @Override
    public Uni<LookupAssetResponse> lookupAsset(LookupAssetRequest request) {
        return assetQueries.lookup(request.getSha256())
                .map(asset -> LookupAssetResponse.newBuilder().setAsset(asset).build());
    }

    @Override
    public Uni<ListAssetsResponse> listAssets(ListAssetsRequest request) {
        return assetQueries.list(request);
    }

    @Override
    public Uni<GetLineageResponse> getLineage(GetLineageRequest request) {
        return lineage.get(request);
    }

    @Override
    public Uni<GetMembershipProofResponse> getMembershipProof(GetMembershipProofRequest request) {
        return datasetProofs.prove(request);
    }

    @Override
    public Uni<GetManifestResponse> getManifest(GetManifestRequest request) {
        return manifests.getManifest(request);
    }

    @Override
    public Uni<ListSigningKeysResponse> listSigningKeys(ListSigningKeysRequest request) {
        return manifests.listSigningKeys(request);
    }

    @Override
    public Uni<VerifyContentResponse> verifyContent(VerifyContentRequest request) {
        return manifests.verifyContent(request);
    }

    private static UUID contributorId(String text) {
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw ERRORS.invalidArgument("contributor_id", "must be a UUID");
        }
        return id;
    }
}
