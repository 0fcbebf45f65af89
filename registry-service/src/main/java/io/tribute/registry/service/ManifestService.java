package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.PAGE_TOKENS;
import io.tribute.common.json.CanonicalJson;
import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.mapping.AssetMapper;
import io.tribute.registry.repository.AssetRepository;
import io.tribute.registry.repository.ManifestRepository;
import io.tribute.registry.repository.ManifestRepository.StoredKey;
import io.tribute.registry.repository.ManifestRepository.StoredManifest;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.GetManifestRequest;
import io.tribute.registry.v1.GetManifestResponse;
import io.tribute.registry.v1.ListSigningKeysRequest;
import io.tribute.registry.v1.ListSigningKeysResponse;
import io.tribute.registry.v1.SigningKey;
import io.tribute.registry.v1.SigningKeyStatus;
import io.tribute.registry.v1.Verdict;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.registry.v1.VerifyContentResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Provenance manifests: signs each asset's manifest once (RFC 8785 payload, compact JWS with Ed25519), stores
 * it, publishes the signing keys as a JWKS, and checks content and manifests against the registry.
 */
@ApplicationScoped
public class ManifestService {

    public static final String ISSUER = "registry.tribute.io";
    static final String ALGORITHM = "EdDSA";
    static final String CURVE = "Ed25519";
    static final String TYPE = "tribute-manifest+json";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String SIGNING_KEYS_FILTER = "signing-keys";

    private final Pool pool;
    private final ManifestRepository manifests;
    private final AssetRepository assets;
    private final ManifestKeys keys;
    private final Clock clock;
    private final int maxVerifyContentBytes;
    private final int maxManifestBytes;
    private final int signingKeysPageSize;
    private volatile boolean keysRegistered;

    public ManifestService(Pool pool, ManifestRepository manifests, AssetRepository assets, ManifestKeys keys,
            Clock clock,
            @ConfigProperty(name = "tribute.registry.max-verify-content-bytes") int maxVerifyContentBytes,
            @ConfigProperty(name = "tribute.registry.max-manifest-bytes") int maxManifestBytes,
            @ConfigProperty(name = "tribute.registry.signing-keys-page-size") int signingKeysPageSize) {
        this.pool = pool;
        this.manifests = manifests;
        this.assets = assets;
        this.keys = keys;
        this.clock = clock;
        this.maxVerifyContentBytes = maxVerifyContentBytes;
        this.maxManifestBytes = maxManifestBytes;
        this.signingKeysPageSize = signingKeysPageSize;
    }

    /** The asset's manifest; the first request for an asset without one signs and stores it. */
    public Uni<GetManifestResponse> getManifest(GetManifestRequest request) {
        UUID assetId = Ids.parseOrNull(request.getAssetId());
        if (assetId == null) {
            throw ERRORS.invalidArgument("asset_id", "must be a UUID");
        }
        return pool.withConnection(db -> manifests.find(db, assetId))
                .chain(stored -> stored != null ? Uni.createFrom().item(stored)
                        : ensureKeysRegistered().chain(() -> pool.withTransaction(db -> issue(db, assetId))))
                .map(ManifestService::toResponse);
    }

    /**
     * Signs and stores the manifest of an asset visible on {@code db} unless it has one; answers the stored
     * manifest. Registration may call this inside its own transaction, after the asset's rows are written.
     */
    public Uni<StoredManifest> issue(SqlClient db, UUID assetId) {
        return assets.findByIds(db, new UUID[] {assetId}).chain(found -> {
            Asset asset = found.get(assetId);
            if (asset == null) {
                throw ERRORS.notFound(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND, "no asset " + assetId,
                        Map.of("asset_id", assetId.toString()));
            }
            return manifests.creatorAccounts(db, assetId).map(accounts -> sign(asset, accounts));
        }).call(manifest -> manifests.insertIfAbsent(db, manifest)).chain(() -> manifests.find(db, assetId));
    }

    /** The signing keys, active first, as a JWKS and as structured keys. */
    public Uni<ListSigningKeysResponse> listSigningKeys(ListSigningKeysRequest request) {
        if (request.getPageSize() < 0) {
            throw ERRORS.invalidArgument("page_size", "must not be negative");
        }
        int offset = (int) PAGE_TOKENS.decodePosition(request.getPageToken(), SIGNING_KEYS_FILTER, 0);
        int pageSize = request.getPageSize() == 0 ? signingKeysPageSize
                : Math.min(request.getPageSize(), signingKeysPageSize);
        return ensureKeysRegistered().chain(() -> pool.withConnection(manifests::keys)).map(all -> {
            List<StoredKey> page = all.subList(Math.min(offset, all.size()), Math.min(offset + pageSize, all.size()));
            ListSigningKeysResponse.Builder response = ListSigningKeysResponse.newBuilder();
            List<Map<String, Object>> jwks = new ArrayList<>();
            for (StoredKey key : page) {
                SigningKey.Builder signingKey = SigningKey.newBuilder()
                        .setKeyId(key.keyId())
                        .setAlgorithm(ALGORITHM)
                        .setCurve(CURVE)
                        .setPublicKey(BASE64URL.encodeToString(key.publicKey()))
                        .setStatus(key.retiredAt() == null ? SigningKeyStatus.SIGNING_KEY_STATUS_ACTIVE
                                : SigningKeyStatus.SIGNING_KEY_STATUS_RETIRED)
                        .setActivatedAt(AssetMapper.timestamp(key.activatedAt()));
                if (key.retiredAt() != null) {
                    signingKey.setRetiredAt(AssetMapper.timestamp(key.retiredAt()));
                }
                response.addKeys(signingKey);
                Map<String, Object> jwk = new LinkedHashMap<>();
                jwk.put("kty", "OKP");
                jwk.put("crv", CURVE);
                jwk.put("x", signingKey.getPublicKey());
                jwk.put("kid", key.keyId());
                jwk.put("alg", ALGORITHM);
                jwk.put("use", "sig");
                jwks.add(jwk);
            }
            if (offset + pageSize < all.size()) {
                response.setNextPageToken(PAGE_TOKENS.encode(SIGNING_KEYS_FILTER, offset + pageSize));
            }
            return response.setJwksJson(CanonicalJson.write(Map.of("keys", jwks))).build();
        });
    }

    /** The verdict on content, a hash and/or a manifest (see VerifyContentResponse for the rules). */
    public Uni<VerifyContentResponse> verifyContent(VerifyContentRequest request) {
        String contentSha256 = contentSha256(request);
        if (request.getManifestJws().isEmpty()) {
            return assetWithHash(contentSha256).map(asset -> asset == null
                    ? verdict(Verdict.VERDICT_UNREGISTERED, null, contentSha256, "",
                            "no registered asset has this content hash")
                    : verdict(Verdict.VERDICT_AUTHENTIC, asset, contentSha256, "",
                            "the content hash is registered"));
        }
        CompactJws jws = CompactJws.parse(request.getManifestJws());
        String keyId = jws == null ? "" : jws.keyId();
        if (jws == null || !ALGORITHM.equals(jws.algorithm()) || keyId.isEmpty()) {
            return signatureInvalid(contentSha256, keyId, "the manifest is not a compact EdDSA JWS with a kid");
        }
        return ensureKeysRegistered().chain(() -> pool.withConnection(db -> manifests.publicKey(db, keyId)))
                .chain(publicKey -> {
                    if (publicKey == null) {
                        return signatureInvalid(contentSha256, keyId, "the manifest's key is not a registry key");
                    }
                    if (!ManifestKeys.verify(publicKey, jws.signingInput(), jws.signature())) {
                        return signatureInvalid(contentSha256, keyId, "the manifest's signature does not verify");
                    }
                    ManifestClaims claims = ManifestClaims.parse(jws.payload());
                    if (claims == null) {
                        return signatureInvalid(contentSha256, keyId, "the manifest's payload is not a manifest");
                    }
                    return assetWithId(claims.assetId()).map(asset -> {
                        if (contentSha256.isEmpty() || contentSha256.equals(claims.sha256())) {
                            return verdict(Verdict.VERDICT_AUTHENTIC, asset, contentSha256, keyId,
                                    contentSha256.isEmpty() ? "the manifest is genuine"
                                            : "the manifest is genuine and the content hash matches its asset");
                        }
                        return verdict(Verdict.VERDICT_MODIFIED, asset, contentSha256, keyId,
                                "the manifest is genuine but the content hash differs from its asset's");
                    });
                });
    }

    private StoredManifest sign(Asset asset, Map<String, String> payoutAccounts) {
        String payload = ManifestPayload.canonicalJson(ISSUER, asset, payoutAccounts);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ALGORITHM);
        header.put("kid", keys.active().keyId());
        header.put("typ", TYPE);
        String signingInput = BASE64URL.encodeToString(CanonicalJson.write(header).getBytes(StandardCharsets.UTF_8))
                + "." + BASE64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        byte[] signature = keys.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return new StoredManifest(UUID.fromString(asset.getId()), keys.active().keyId(), payload,
                signingInput + "." + BASE64URL.encodeToString(signature),
                OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS));
    }

    /** Records the configured keys once per process, in a transaction of their own. */
    private Uni<Void> ensureKeysRegistered() {
        if (keysRegistered) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(db -> manifests.registerKeys(db, keys.active(), keys.previous(), now))
                .invoke(() -> keysRegistered = true);
    }

    private String contentSha256(VerifyContentRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(!request.getContent().isEmpty() || !request.getSha256().isEmpty()
                        || !request.getManifestJws().isEmpty(), "content",
                        "give content, sha256 and/or manifest_jws")
                .require(request.getSha256().isEmpty() || SHA256_HEX.matcher(request.getSha256()).matches(),
                        "sha256", "must be 64 lowercase hex digits");
        violations.throwIfAny(ERRORS);
        if (request.getContent().size() > maxVerifyContentBytes) {
            throw limitExceeded("content", maxVerifyContentBytes);
        }
        if (request.getManifestJws().length() > maxManifestBytes) {
            throw limitExceeded("manifest_jws", maxManifestBytes);
        }
        if (request.getContent().isEmpty()) {
            return request.getSha256();
        }
        String computed = sha256Hex(request.getContent());
        if (!request.getSha256().isEmpty() && !request.getSha256().equals(computed)) {
            throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_CONTENT_HASH_MISMATCH,
                    "the content's SHA-256 differs from the sha256 given",
                    Map.of("sha256", request.getSha256(), "content_sha256", computed));
        }
        return computed;
    }

    private Uni<VerifyContentResponse> signatureInvalid(String contentSha256, String keyId, String detail) {
        return assetWithHash(contentSha256).map(asset ->
                verdict(Verdict.VERDICT_SIGNATURE_INVALID, asset, contentSha256, keyId, detail));
    }

    private Uni<Asset> assetWithHash(String sha256) {
        if (sha256.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return pool.withConnection(db -> assets.findByShas(db, List.of(HexFormat.of().parseHex(sha256))))
                .map(found -> found.get(sha256));
    }

    private Uni<Asset> assetWithId(String assetId) {
        UUID id = Ids.parseOrNull(assetId);
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.withConnection(db -> assets.findByIds(db, new UUID[] {id})).map(found -> found.get(id));
    }

    private static VerifyContentResponse verdict(Verdict verdict, Asset asset, String contentSha256, String keyId,
            String detail) {
        VerifyContentResponse.Builder response = VerifyContentResponse.newBuilder()
                .setVerdict(verdict)
                .setContentSha256(contentSha256)
                .setManifestKeyId(keyId)
                .setDetail(detail);
        if (asset != null) {
            response.setAsset(asset);
        }
        return response.build();
    }

    private static GetManifestResponse toResponse(StoredManifest manifest) {
        return GetManifestResponse.newBuilder()
                .setAssetId(manifest.assetId().toString())
                .setManifestJws(manifest.jws())
                .setPayloadJson(manifest.payloadJson())
                .setKeyId(manifest.keyId())
                .setSignedAt(AssetMapper.timestamp(manifest.signedAt()))
                .build();
    }

    private static RuntimeException limitExceeded(String field, int limit) {
        return ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED,
                field + " is larger than " + limit + " bytes", Map.of("field", field, "limit", Integer.toString(limit)));
    }

    private static String sha256Hex(ByteString content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(content.asReadOnlyByteBuffer());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parts of a compact JWS; null from {@link #parse} when it is not one. */
    record CompactJws(String algorithm, String keyId, byte[] signingInput, byte[] payload, byte[] signature) {

        static CompactJws parse(String compact) {
            String[] parts = compact.split("\\.", -1);
            if (parts.length != 3) {
                return null;
            }
            try {
                Base64.Decoder decoder = Base64.getUrlDecoder();
                JsonObject header = new JsonObject(new String(decoder.decode(parts[0]), StandardCharsets.UTF_8));
                return new CompactJws(header.getString("alg", ""), header.getString("kid", ""),
                        (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), decoder.decode(parts[1]),
                        decoder.decode(parts[2]));
            } catch (RuntimeException e) {
                // Not base64url, not a JSON object, or members of the wrong type: not a JWS of ours.
                return null;
            }
        }
    }

    /** What a verified manifest says about its asset; null from {@link #parse} when it is not a manifest. */
    record ManifestClaims(String assetId, String sha256) {

        static ManifestClaims parse(byte[] payload) {
            try {
                JsonObject asset = new JsonObject(new String(payload, StandardCharsets.UTF_8)).getJsonObject("asset");
                if (asset == null || asset.getString("id") == null || asset.getString("sha256") == null) {
                    return null;
                }
                return new ManifestClaims(asset.getString("id"), asset.getString("sha256"));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
