package io.tribute.registry.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tribute.common.v1.AssetKind;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.GetManifestRequest;
import io.tribute.registry.v1.GetManifestResponse;
import io.tribute.registry.v1.ListSigningKeysRequest;
import io.tribute.registry.v1.ListSigningKeysResponse;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.registry.v1.SigningKey;
import io.tribute.registry.v1.SigningKeyStatus;
import io.tribute.registry.v1.Verdict;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.registry.v1.VerifyContentResponse;
import io.tribute.testing.PostgresResource;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * Key rotation: the registry signs with a configured key (a PEM from the environment) while a retired key,
 * configured by its public part, keeps verifying the manifests it signed.
 */
@QuarkusTest
@TestProfile(ManifestKeyRotationTest.RotatedKeys.class)
@WithTestResource(PostgresResource.class)
class ManifestKeyRotationTest {

    /** Fixed test keys (generated with openssl genpkey -algorithm ed25519 for this test only). */
    static final String RETIRED_PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIARx/alkEilgThgYyNzAJMOJJ5je0MgxW1NxRwjRQJuD";
    static final String RETIRED_PUBLIC_X = "F5uGejDozC7pPc4i84TqSQMvHCa5qWjhGnHFfb13QVQ";
    static final String ACTIVE_PEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIGhf89jA29jEjtbkdG2hxW1W9OikNi16XiviLFlTT5KU
            -----END PRIVATE KEY-----
            """;
    static final String ACTIVE_PUBLIC_X = "irjGnbQETPNINoffwUoZR-3HXo_-f_GPoqowtF6l-SY";

    /** The active key from configuration, one retired key by its public part. */
    public static class RotatedKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tribute.registry.signing-key", ACTIVE_PEM,
                    "tribute.registry.previous-signing-keys", RETIRED_PUBLIC_X);
        }
    }

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Test
    void configuredKeyIsActiveAndThePreviousKeyIsPublishedAsRetired() throws Exception {
        ListSigningKeysResponse keys = registry.listSigningKeys(ListSigningKeysRequest.getDefaultInstance());

        assertThat(keys.getKeysList()).extracting(SigningKey::getPublicKey)
                .containsExactly(ACTIVE_PUBLIC_X, RETIRED_PUBLIC_X);
        assertThat(keys.getKeys(0).getStatus()).isEqualTo(SigningKeyStatus.SIGNING_KEY_STATUS_ACTIVE);
        assertThat(keys.getKeys(1).getStatus()).isEqualTo(SigningKeyStatus.SIGNING_KEY_STATUS_RETIRED);
        assertThat(keys.getKeys(1).hasRetiredAt()).isTrue();
        assertThat(new JsonWebKeySet(keys.getJwksJson()).getJsonWebKeys()).extracting(JsonWebKey::getKeyId)
                .containsExactly(keys.getKeys(0).getKeyId(), keys.getKeys(1).getKeyId());
        ListSigningKeysResponse firstPage = registry.listSigningKeys(ListSigningKeysRequest.newBuilder()
                .setPageSize(1).build());
        ListSigningKeysResponse secondPage = registry.listSigningKeys(ListSigningKeysRequest.newBuilder()
                .setPageSize(1).setPageToken(firstPage.getNextPageToken()).build());
        assertThat(firstPage.getKeysList()).containsExactly(keys.getKeys(0));
        assertThat(secondPage.getKeysList()).containsExactly(keys.getKeys(1));
        assertThat(secondPage.getNextPageToken()).isEmpty();
    }

    @Test
    void newManifestsAreSignedByTheConfiguredKey() throws Exception {
        Asset asset = registerContent("new " + UUID.randomUUID());

        GetManifestResponse manifest = registry.getManifest(GetManifestRequest.newBuilder()
                .setAssetId(asset.getId()).build());

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(manifest.getManifestJws());
        jws.setKey(OctetKeyPairJsonWebKey.Factory.newPublicJwk(Map.of("kty", "OKP", "crv", "Ed25519",
                "x", ACTIVE_PUBLIC_X)).getKey());
        assertThat(jws.verifySignature()).isTrue();
        assertThat(manifest.getKeyId()).isEqualTo(jws.getKeyIdHeaderValue());
    }

    @Test
    void manifestSignedByTheRetiredKeyStillVerifies() throws Exception {
        String content = "old " + UUID.randomUUID();
        Asset asset = registerContent(content);
        String payload = registry.getManifest(GetManifestRequest.newBuilder().setAssetId(asset.getId()).build())
                .getPayloadJson();
        String retiredKid = registry.listSigningKeys(ListSigningKeysRequest.getDefaultInstance()).getKeys(1)
                .getKeyId();
        String signedByRetiredKey = sign(payload, retiredKid, retiredPrivateKey());

        VerifyContentResponse authentic = registry.verifyContent(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8(content)).setManifestJws(signedByRetiredKey).build());
        VerifyContentResponse modified = registry.verifyContent(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8(content + "!")).setManifestJws(signedByRetiredKey).build());

        assertThat(authentic.getVerdict()).isEqualTo(Verdict.VERDICT_AUTHENTIC);
        assertThat(authentic.getManifestKeyId()).isEqualTo(retiredKid);
        assertThat(authentic.getAsset().getId()).isEqualTo(asset.getId());
        assertThat(modified.getVerdict()).isEqualTo(Verdict.VERDICT_MODIFIED);
    }

    private Asset registerContent(String content) {
        return AssetFixtures.register(registry, AssetFixtures.asset(AssetKind.ASSET_KIND_DATA_ITEM,
                AssetFixtures.sha256(content), AssetFixtures.contributor(registry)));
    }

    private static String sign(String payload, String keyId, PrivateKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", "tribute-manifest+json");
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    private static PrivateKey retiredPrivateKey() throws Exception {
        return KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(RETIRED_PRIVATE_KEY)));
    }
}
