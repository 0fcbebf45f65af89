package io.tribute.e2e;

import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.Output;
import io.tribute.registry.v1.Asset;
import io.tribute.common.v1.AssetKind;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.WalletChallenge;
import io.grpc.stub.StreamObserver;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Contributors, wallets, assets and outputs made through the real registry-service and attribution-service, as a
 * platform and its contributors would: each wallet is a fresh key that proves itself by signing the registry's
 * challenge (EIP-191 personal_sign).
 */
final class People {

    /** A contributor and, if bound, the wallet (EIP-55 address) the registry holds as its payout account. */
    record Person(String id, String name, String wallet) {
    }

    private final TributeSuite suite;
    private final long chainId;

    People(TributeSuite suite) {
        this.suite = suite;
        this.chainId = suite.chain.anvil.chainId();
    }

    /** A contributor with a wallet bound by its own signature. */
    Person withWallet(String name) throws GeneralSecurityException {
        String id = contributor(name);
        ECKeyPair key = Keys.createEcKeyPair();
        String address = Keys.toChecksumAddress(Keys.getAddress(key));
        WalletChallenge challenge = suite.registry().createWalletChallenge(CreateWalletChallengeRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributorId(id)
                .setAccount("eip155:" + chainId + ":" + address)
                .build()).getChallenge();
        Sign.SignatureData signature = Sign.signPrefixedMessage(
                challenge.getMessage().getBytes(StandardCharsets.UTF_8), key);
        byte[] rsv = new byte[65];
        System.arraycopy(signature.getR(), 0, rsv, 0, 32);
        System.arraycopy(signature.getS(), 0, rsv, 32, 32);
        rsv[64] = signature.getV()[0];
        suite.registry().bindWallet(BindWalletRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributorId(id)
                .setChallengeId(challenge.getId())
                .setSignature(Numeric.toHexString(rsv))
                .build());
        return new Person(id, name, address);
    }

    /** A contributor who never bound a wallet. */
    Person withoutWallet(String name) {
        return new Person(contributor(name), name, null);
    }

    /** Registers an asset of {@code kind} created by {@code creators} in equal shares, with optional parents. */
    String asset(AssetKind kind, Person[] creators, AssetParent... parents) {
        Asset.Builder asset = Asset.newBuilder().setKind(kind).setSha256(randomSha256()).setSizeBytes(1)
                .setMediaType("text/plain").setLicense("CC-BY-4.0").setDisplayName(kind.name());
        for (int i = 0; i < creators.length; i++) {
            int ppm = 1_000_000 / creators.length + (i == 0 ? 1_000_000 % creators.length : 0);
            asset.addCreators(CreatorShare.newBuilder().setContributorId(creators[i].id()).setSharePpm(ppm));
        }
        for (AssetParent parent : parents) {
            asset.addParents(parent);
        }
        return suite.registry().registerAsset(RegisterAssetRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setAsset(asset).build()).getAsset().getId();
    }

    /** Registers {@code requests} in one RegisterAssets stream and returns the per-item results. */
    RegisterAssetsResponse registerAssets(List<RegisterAssetsRequest> requests) throws Exception {
        CompletableFuture<RegisterAssetsResponse> response = new CompletableFuture<>();
        StreamObserver<RegisterAssetsRequest> stream = suite.registryStreaming().registerAssets(
                new StreamObserver<>() {
                    @Override
                    public void onNext(RegisterAssetsResponse value) {
                        response.complete(value);
                    }

                    @Override
                    public void onError(Throwable error) {
                        response.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        response.completeExceptionally(new IllegalStateException("RegisterAssets gave no response"));
                    }
                });
        requests.forEach(stream::onNext);
        stream.onCompleted();
        return response.get(30, TimeUnit.SECONDS);
    }

    static AssetParent parent(String assetId, EdgeType edge) {
        return AssetParent.newBuilder().setParentAssetId(assetId).setEdgeType(edge).build();
    }

    /** Attributes a fresh output of {@code model} (and {@code prompt}, if any) with the default policy. */
    Attribution attribute(String model, String prompt) {
        Output.Builder output = Output.newBuilder().setContentSha256(randomSha256()).setModelAssetId(model)
                .setPlatformRef("payout-e2e");
        if (prompt != null) {
            output.setPromptAssetId(prompt);
        }
        return suite.attribution().attributeOutput(AttributeOutputRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setOutput(output).build()).getAttribution();
    }

    private String contributor(String name) {
        return suite.registry().createContributor(CreateContributorRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributor(Contributor.newBuilder().setDisplayName(name)
                        .setExternalRef(name + "-" + UUID.randomUUID()))
                .build()).getContributor().getId();
    }

    private static String randomSha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
