package io.tribute.attribution;

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
import java.util.concurrent.TimeUnit;

/** Registers contributors and assets in the real registry-service for a test, through its gRPC API. */
public final class RegistryFixtures {

    private final RegistryServiceBlockingStub registry;

    public RegistryFixtures(RegistryServiceBlockingStub registry) {
        this.registry = registry;
    }

    /** A new contributor's id. */
    public String contributor(String name) {
        return registry().createContributor(CreateContributorRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributor(Contributor.newBuilder().setDisplayName(name)
                        .setExternalRef(name + "-" + UUID.randomUUID()))
                .build()).getContributor().getId();
    }

    /** Registers an asset of one creator (and these parents) and returns its id. */
    public String asset(AssetKind kind, String creatorId, AssetParent... parents) {
        Asset.Builder asset = Asset.newBuilder().setKind(kind).setSha256(randomSha()).setSizeBytes(1)
                .setMediaType("text/plain").setLicense("CC-BY-4.0").setDisplayName(kind.name())
                .addCreators(CreatorShare.newBuilder().setContributorId(creatorId).setSharePpm(1_000_000));
        for (AssetParent parent : parents) {
            asset.addParents(parent);
        }
        return registry().registerAsset(RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setAsset(asset).build()).getAsset().getId();
    }

    public static AssetParent parent(String id, EdgeType edge) {
        return AssetParent.newBuilder().setParentAssetId(id).setEdgeType(edge).build();
    }

    /** A random SHA-256 in 64 lowercase hex digits (a fresh output or asset hash). */
    public static String randomSha() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(UUID.randomUUID().toString().getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The injected stub carries a deadline fixed when it was created; each call gets a fresh one. */
    private RegistryServiceBlockingStub registry() {
        return registry.withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
