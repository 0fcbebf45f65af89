package io.tribute.registry.grpc;

import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** Builds contributors and asset registrations for the asset tests. */
final class AssetFixtures {

    private AssetFixtures() {
    }

    static String contributor(RegistryServiceBlockingStub registry) {
        String ref = "creator-" + UUID.randomUUID();
        return registry.createContributor(CreateContributorRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributor(Contributor.newBuilder().setDisplayName("Creator").setExternalRef(ref))
                .build()).getContributor().getId();
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomSha() {
        return sha256(UUID.randomUUID().toString());
    }

    static Asset.Builder asset(AssetKind kind, String sha256, String... creators) {
        Asset.Builder asset = Asset.newBuilder().setKind(kind).setSha256(sha256).setSizeBytes(42)
                .setMediaType("text/plain").setUri("https://example.org/a").setLicense("CC-BY-4.0")
                .setDisplayName("an asset");
        int share = 1_000_000 / creators.length;
        for (int i = 0; i < creators.length; i++) {
            int ppm = i == 0 ? 1_000_000 - share * (creators.length - 1) : share;
            asset.addCreators(CreatorShare.newBuilder().setContributorId(creators[i]).setSharePpm(ppm));
        }
        return asset;
    }

    static AssetParent parent(String id, EdgeType edge) {
        return AssetParent.newBuilder().setParentAssetId(id).setEdgeType(edge).build();
    }

    static RegisterAssetRequest request(Asset.Builder asset) {
        return RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setAsset(asset).build();
    }

    static Asset register(RegistryServiceBlockingStub registry, Asset.Builder asset) {
        return registry.registerAsset(request(asset)).getAsset();
    }
}
