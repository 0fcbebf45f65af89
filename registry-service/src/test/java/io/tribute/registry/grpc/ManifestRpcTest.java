package io.tribute.registry.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
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
import io.tribute.registry.v1.WalletChallenge;
import io.tribute.testing.PostgresResource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.keys.EdDsaKeyUtil;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/** Manifests, checked by an independent JOSE implementation (jose4j) against the published JWKS. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ManifestRpcTest {

    private static final String DOMAIN = "registry.tribute.io";
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Test
    void manifestIsTheCanonicalJsonOfTheAssetSignedWithAPublishedKey() throws Exception {
        String creator = AssetFixtures.contributor(registry);
        TestWallet wallet = TestWallet.generate();
        bind(creator, wallet);
        String other = AssetFixtures.contributor(registry);
        Asset data = AssetFixtures.register(registry, AssetFixtures.asset(AssetKind.ASSET_KIND_DATA_ITEM,
                AssetFixtures.sha256("training text " + UUID.randomUUID()), creator));
        Asset model = AssetFixtures.register(registry, AssetFixtures.asset(AssetKind.ASSET_KIND_MODEL,
                        AssetFixtures.randomSha(), creator, other)
                .setUri("")
                .putAttributes("training.epochs", "3")
                .putAttributes("note", "quote \" backslash \\ newline \n é")
                .addParents(AssetFixtures.parent(data.getId(), EdgeType.EDGE_TYPE_TRAINED_ON)));

        GetManifestResponse manifest = manifest(model.getId());

        String payload = verifiedPayload(manifest.getManifestJws());
        assertThat(payload).isEqualTo(manifest.getPayloadJson());
        String creatorA = creator.compareTo(other) < 0 ? creator : other;
        String creatorB = creator.compareTo(other) < 0 ? other : creator;
        String expected = "{\"asset\":{"
                + "\"attributes\":{\"note\":\"quote \\\" backslash \\\\ newline \\n é\",\"training.epochs\":\"3\"},"
                + "\"display_name\":\"an asset\",\"id\":\"" + model.getId() + "\",\"kind\":\"MODEL\","
                + "\"license\":\"CC-BY-4.0\",\"media_type\":\"text/plain\",\"sha256\":\"" + model.getSha256() + "\","
                + "\"size_bytes\":\"42\"},"
                + "\"creators\":[" + creatorJson(creatorA, model, creator, wallet) + ","
                + creatorJson(creatorB, model, creator, wallet) + "],"
                + "\"issuer\":\"registry.tribute.io\",\"manifest_version\":1,"
                + "\"parents\":[{\"asset_id\":\"" + data.getId() + "\",\"edge\":\"TRAINED_ON\",\"kind\":\"DATA_ITEM\","
                + "\"sha256\":\"" + data.getSha256() + "\",\"weight_ppm\":0}],"
                + "\"registered_at\":\"" + MICROS.format(Instant.ofEpochSecond(model.getRegisteredAt().getSeconds(),
                        model.getRegisteredAt().getNanos())) + "\"}";
        assertThat(payload).isEqualTo(expected);
    }

    @Test
    void manifestIsSignedOnceAndKeepsThePayoutAccountsOfRegistrationTime() {
        String creator = AssetFixtures.contributor(registry);
        TestWallet first = TestWallet.generate();
        bind(creator, first);
        Asset asset = AssetFixtures.register(registry, AssetFixtures.asset(AssetKind.ASSET_KIND_PROMPT,
                AssetFixtures.randomSha(), creator));
        TestWallet second = TestWallet.generate();
        rebindWithOldWallet(creator, first, second);

        GetManifestResponse manifest = manifest(asset.getId());

        assertThat(manifest.getPayloadJson()).contains("\"payout_account\":\"" + first.account() + "\"")
                .doesNotContain(second.account());
        assertThat(manifest(asset.getId())).isEqualTo(manifest);
        assertThat(manifest.getKeyId()).isEqualTo(activeKey().getKeyId());
    }

    @Test
    void concurrentFirstRequestsAllReturnTheOneStoredManifest() throws Exception {
        Asset asset = registerContent("asked for by many at once " + UUID.randomUUID());
        List<Callable<GetManifestResponse>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(() -> manifest(asset.getId()));
        }
        try (var executor = Executors.newFixedThreadPool(8)) {
            List<GetManifestResponse> answers = new ArrayList<>();
            for (var answer : executor.invokeAll(requests)) {
                answers.add(answer.get());
            }
            assertThat(answers).allSatisfy(answer -> assertThat(answer).isEqualTo(answers.getFirst()));
        }
        assertThat(manifest(asset.getId())).isEqualTo(manifest(asset.getId()));
    }

    @Test
    void creatorWithoutWalletHasANullPayoutAccount() {
        String creator = AssetFixtures.contributor(registry);
        Asset asset = AssetFixtures.register(registry, AssetFixtures.asset(AssetKind.ASSET_KIND_REVIEW,
                AssetFixtures.randomSha(), creator));

        assertThat(manifest(asset.getId()).getPayloadJson())
                .contains("{\"contributor_id\":\"" + creator + "\",\"payout_account\":null,\"share_ppm\":1000000}")
                .contains("\"parents\":[]");
    }

    @Test
    void signingKeysArePublishedAsAJwksWithRfc7638Thumbprints() throws JoseException {
        ListSigningKeysResponse keys = registry.listSigningKeys(ListSigningKeysRequest.getDefaultInstance());

        assertThat(keys.getKeysList()).isNotEmpty();
        SigningKey active = keys.getKeys(0);
        assertThat(active.getStatus()).isEqualTo(SigningKeyStatus.SIGNING_KEY_STATUS_ACTIVE);
        assertThat(active.getAlgorithm()).isEqualTo("EdDSA");
        assertThat(active.getCurve()).isEqualTo("Ed25519");
        assertThat(keys.getKeysList().stream().filter(key -> key.getStatus()
                == SigningKeyStatus.SIGNING_KEY_STATUS_ACTIVE)).hasSize(1);
        List<JsonWebKey> jwks = new JsonWebKeySet(keys.getJwksJson()).getJsonWebKeys();
        assertThat(jwks).hasSize(keys.getKeysCount());
        JsonWebKey jwk = jwks.getFirst();
        assertThat(jwk).isInstanceOf(OctetKeyPairJsonWebKey.class);
        assertThat(jwk.getKeyId()).isEqualTo(active.getKeyId())
                .isEqualTo(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        assertThat(jwk.getAlgorithm()).isEqualTo("EdDSA");
        assertThat(jwk.getUse()).isEqualTo("sig");
        assertThat(keys.getNextPageToken()).isEmpty();
        assertFails(() -> registry.listSigningKeys(ListSigningKeysRequest.newBuilder().setPageToken("x").build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
    }

    @Test
    void genuineManifestWithItsContentIsAuthentic() {
        String content = "an original poem " + UUID.randomUUID();
        Asset asset = registerContent(content);
        GetManifestResponse manifest = manifest(asset.getId());

        VerifyContentResponse response = verify(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8(content)).setManifestJws(manifest.getManifestJws()));

        assertThat(response.getVerdict()).isEqualTo(Verdict.VERDICT_AUTHENTIC);
        assertThat(response.getAsset().getId()).isEqualTo(asset.getId());
        assertThat(response.getContentSha256()).isEqualTo(asset.getSha256());
        assertThat(response.getManifestKeyId()).isEqualTo(manifest.getKeyId());
        assertThat(verify(VerifyContentRequest.newBuilder().setManifestJws(manifest.getManifestJws())).getVerdict())
                .isEqualTo(Verdict.VERDICT_AUTHENTIC);
    }

    @Test
    void changedContentWithAGenuineManifestIsModified() {
        String content = "an original poem " + UUID.randomUUID();
        Asset asset = registerContent(content);
        GetManifestResponse manifest = manifest(asset.getId());

        VerifyContentResponse response = verify(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8(content + ".")).setManifestJws(manifest.getManifestJws()));

        assertThat(response.getVerdict()).isEqualTo(Verdict.VERDICT_MODIFIED);
        assertThat(response.getAsset().getId()).isEqualTo(asset.getId());
        assertThat(response.getContentSha256()).isEqualTo(AssetFixtures.sha256(content + "."));
    }

    @Test
    void manifestChangedByOneByteIsSignatureInvalid() {
        String content = "an original poem " + UUID.randomUUID();
        Asset asset = registerContent(content);
        String jws = manifest(asset.getId()).getManifestJws();
        String[] parts = jws.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        int position = new String(payload, StandardCharsets.UTF_8).indexOf("CC-BY-4.0") + 6;
        payload[position] = (byte) '5';
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "."
                + parts[2];

        VerifyContentResponse response = verify(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8(content)).setManifestJws(tampered));

        assertThat(response.getVerdict()).isEqualTo(Verdict.VERDICT_SIGNATURE_INVALID);
        // The content itself is registered, so the asset is still known.
        assertThat(response.getAsset().getId()).isEqualTo(asset.getId());
        String flippedSignature = parts[0] + "." + parts[1] + "." + flipFirstChar(parts[2]);
        assertThat(verify(VerifyContentRequest.newBuilder().setManifestJws(flippedSignature)).getVerdict())
                .isEqualTo(Verdict.VERDICT_SIGNATURE_INVALID);
        assertThat(verify(VerifyContentRequest.newBuilder().setManifestJws("not.a-jws")).getVerdict())
                .isEqualTo(Verdict.VERDICT_SIGNATURE_INVALID);
    }

    @Test
    void manifestSignedByAnUnknownKeyIsSignatureInvalid() throws JoseException {
        Asset asset = registerContent("content " + UUID.randomUUID());
        String genuinePayload = manifest(asset.getId()).getPayloadJson();
        OctetKeyPairJsonWebKey stranger = OkpJwkGenerator.generateJwk(EdDsaKeyUtil.ED25519);
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(genuinePayload);
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        forged.setKeyIdHeaderValue(stranger.calculateBase64urlEncodedThumbprint("SHA-256"));
        forged.setKey(stranger.getPrivateKey());

        VerifyContentResponse response = verify(VerifyContentRequest.newBuilder()
                .setManifestJws(forged.getCompactSerialization()));

        assertThat(response.getVerdict()).isEqualTo(Verdict.VERDICT_SIGNATURE_INVALID);
        assertThat(response.hasAsset()).isFalse();
    }

    @Test
    void registeredHashWithoutManifestIsAuthenticAndUnknownContentUnregistered() {
        String content = "registered " + UUID.randomUUID();
        Asset asset = registerContent(content);

        VerifyContentResponse byContent = verify(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8(content)));
        VerifyContentResponse byHash = verify(VerifyContentRequest.newBuilder().setSha256(asset.getSha256()));
        VerifyContentResponse unknown = verify(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8("never registered " + UUID.randomUUID())));

        assertThat(byContent.getVerdict()).isEqualTo(Verdict.VERDICT_AUTHENTIC);
        assertThat(byContent.getAsset().getId()).isEqualTo(asset.getId());
        assertThat(byHash.getVerdict()).isEqualTo(Verdict.VERDICT_AUTHENTIC);
        assertThat(unknown.getVerdict()).isEqualTo(Verdict.VERDICT_UNREGISTERED);
        assertThat(unknown.hasAsset()).isFalse();
    }

    @Test
    void invalidVerifyRequestsAreRefused() {
        assertThat(violatedFields(() -> registry.verifyContent(VerifyContentRequest.getDefaultInstance()), DOMAIN))
                .containsExactly("content");
        assertThat(violatedFields(() -> registry.verifyContent(VerifyContentRequest.newBuilder()
                .setSha256("ABC").build()), DOMAIN)).containsExactly("sha256");
        assertFails(() -> registry.verifyContent(VerifyContentRequest.newBuilder()
                        .setContent(ByteString.copyFromUtf8("one")).setSha256(AssetFixtures.sha256("two")).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "CONTENT_HASH_MISMATCH");
        assertFails(() -> registry.verifyContent(VerifyContentRequest.newBuilder()
                        .setContent(ByteString.copyFrom(new byte[4 * 1024 * 1024 + 1])).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "LIMIT_EXCEEDED");
    }

    @Test
    void manifestOfAnUnknownAssetIsNotFound() {
        assertFails(() -> manifest(UUID.randomUUID().toString()), Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
        assertThat(violatedFields(() -> manifest("42"), DOMAIN)).containsExactly("asset_id");
    }

    /** Verifies the JWS with jose4j against the JWKS from ListSigningKeys; answers its payload. */
    private String verifiedPayload(String compact) throws JoseException {
        JsonWebKeySet jwks = new JsonWebKeySet(registry.listSigningKeys(ListSigningKeysRequest.getDefaultInstance())
                .getJwksJson());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                AlgorithmIdentifiers.EDDSA));
        jws.setCompactSerialization(compact);
        assertThat(jws.getHeader(HeaderParameterNames.TYPE)).isEqualTo("tribute-manifest+json");
        JsonWebKey key = jwks.findJsonWebKey(jws.getKeyIdHeaderValue(), "OKP", "sig", "EdDSA");
        jws.setKey(((OctetKeyPairJsonWebKey) key).getPublicKey());
        assertThat(jws.verifySignature()).isTrue();
        return jws.getPayload();
    }

    private static String creatorJson(String contributor, Asset asset, String walletOwner, TestWallet wallet) {
        int share = asset.getCreatorsList().stream().filter(c -> c.getContributorId().equals(contributor))
                .findFirst().orElseThrow().getSharePpm();
        String account = contributor.equals(walletOwner) ? "\"" + wallet.account() + "\"" : "null";
        return "{\"contributor_id\":\"" + contributor + "\",\"payout_account\":" + account + ",\"share_ppm\":"
                + share + "}";
    }

    private Asset registerContent(String content) {
        return AssetFixtures.register(registry, AssetFixtures.asset(AssetKind.ASSET_KIND_DATA_ITEM,
                AssetFixtures.sha256(content), AssetFixtures.contributor(registry)));
    }

    private SigningKey activeKey() {
        return registry.listSigningKeys(ListSigningKeysRequest.getDefaultInstance()).getKeys(0);
    }

    private GetManifestResponse manifest(String assetId) {
        return registry.getManifest(GetManifestRequest.newBuilder().setAssetId(assetId).build());
    }

    private VerifyContentResponse verify(VerifyContentRequest.Builder request) {
        return registry.verifyContent(request.build());
    }

    private void bind(String contributorId, TestWallet wallet) {
        WalletChallenge challenge = challenge(contributorId, wallet);
        registry.bindWallet(BindWalletRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setContributorId(contributorId).setChallengeId(challenge.getId())
                .setSignature(wallet.sign(challenge.getMessage())).build());
    }

    private void rebindWithOldWallet(String contributorId, TestWallet old, TestWallet replacement) {
        WalletChallenge challenge = challenge(contributorId, replacement);
        registry.bindWallet(BindWalletRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setContributorId(contributorId).setChallengeId(challenge.getId())
                .setSignature(replacement.sign(challenge.getMessage()))
                .setOldWalletSignature(old.sign(challenge.getMessage())).build());
    }

    private WalletChallenge challenge(String contributorId, TestWallet wallet) {
        return registry.createWalletChallenge(CreateWalletChallengeRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setContributorId(contributorId)
                .setAccount(wallet.account()).build()).getChallenge();
    }

    private static String flipFirstChar(String base64url) {
        char first = base64url.charAt(0);
        return (first == 'A' ? 'B' : 'A') + base64url.substring(1);
    }
}
