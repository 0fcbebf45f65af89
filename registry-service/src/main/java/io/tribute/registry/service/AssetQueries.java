package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.repository.AssetRepository;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.ListAssetsRequest;
import io.tribute.registry.v1.ListAssetsResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads assets: by id, by ids, by content hash, and pages filtered by kind and creator. */
@ApplicationScoped
public class AssetQueries {

    private static final String PAGE_TOKEN_PREFIX = "assets:";
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final Pool pool;
    private final AssetRepository assets;
    private final AssetSettings settings;
    private final AssetCache cache;

    /** GetAsset and LookupAsset cache misses, read many per statement under load (see CoalescedReads). */
    private final CoalescedReads<UUID, Asset> byId;
    private final CoalescedReads<String, Asset> bySha256;

    public AssetQueries(Pool pool, AssetRepository assets, AssetSettings settings, AssetCache cache) {
        this.pool = pool;
        this.assets = assets;
        this.settings = settings;
        this.cache = cache;
        this.byId = new CoalescedReads<>(ids -> assets.findByIds(pool, ids.toArray(UUID[]::new)),
                settings.readBatchesInFlight(), settings.readBatchSize());
        this.bySha256 = new CoalescedReads<>(shas -> assets.findByShas(pool,
                shas.stream().map(HexFormat.of()::parseHex).toList()),
                settings.readBatchesInFlight(), settings.readBatchSize());
    }

    public Uni<Asset> get(String assetId) {
        UUID id = assetId("asset_id", assetId);
        Asset cached = cache.byId(id);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return byId.get(id).map(asset -> {
            if (asset == null) {
                throw notFound(assetId);
            }
            cache.put(asset);
            return asset;
        });
    }

    /** The assets in request order (duplicates answered twice); all or nothing. */
    public Uni<List<Asset>> batchGet(List<String> assetIds) {
        FieldViolations violations = new FieldViolations();
        violations.require(!assetIds.isEmpty() && assetIds.size() <= settings.maxBatchGet(), "asset_ids",
                "must hold 1 to " + settings.maxBatchGet() + " ids (tribute.registry.max-batch-get)");
        UUID[] ids = new UUID[assetIds.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Ids.parseOrNull(assetIds.get(i));
            violations.require(ids[i] != null, "asset_ids[" + i + "]", "must be a UUID");
        }
        violations.throwIfAny(ERRORS);
        Map<UUID, Asset> cached = new HashMap<>();
        List<UUID> uncached = new ArrayList<>();
        for (UUID id : ids) {
            Asset asset = cache.byId(id);
            if (asset != null) {
                cached.put(id, asset);
            } else {
                uncached.add(id);
            }
        }
        Uni<Map<UUID, Asset>> read = uncached.isEmpty() ? Uni.createFrom().item(Map.of())
                : assets.findByIds(pool, uncached.toArray(UUID[]::new));
        return read.map(fromDatabase -> {
            fromDatabase.values().forEach(cache::put);
            Map<UUID, Asset> found = new HashMap<>(cached);
            found.putAll(fromDatabase);
            List<Asset> ordered = new ArrayList<>(ids.length);
            String firstMissing = null;
            int missing = 0;
            for (int i = 0; i < ids.length; i++) {
                Asset asset = found.get(ids[i]);
                if (asset == null) {
                    missing++;
                    firstMissing = firstMissing == null ? assetIds.get(i) : firstMissing;
                } else {
                    ordered.add(asset);
                }
            }
            if (missing > 0) {
                throw ERRORS.notFound(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND, missing + " assets not found",
                        Map.of("asset_id", firstMissing, "missing_count", Integer.toString(missing)));
            }
            return ordered;
        });
    }

    public Uni<Asset> lookup(String sha256) {
        if (!AssetValidator.isSha256(sha256)) {
            throw ERRORS.invalidArgument("sha256", "must be 64 lowercase hex digits");
        }
        Asset cached = cache.bySha256(sha256);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return bySha256.get(sha256).map(asset -> {
            if (asset == null) {
                throw ERRORS.notFound(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND, "no asset has sha256 " + sha256,
                        Map.of("sha256", sha256));
            }
            cache.put(asset);
            return asset;
        });
    }

    public Uni<ListAssetsResponse> list(ListAssetsRequest request) {
        FieldViolations violations = new FieldViolations();
        violations.require(request.getPageSize() >= 0, "page_size", "must not be negative");
        violations.require(request.getKind() != AssetKind.UNRECOGNIZED, "kind", "must be a known asset kind");
        UUID creator = request.getCreatorId().isEmpty() ? null : Ids.parseOrNull(request.getCreatorId());
        violations.require(request.getCreatorId().isEmpty() || creator != null, "creator_id", "must be a UUID");
        violations.throwIfAny(ERRORS);
        UUID after = request.getPageToken().isEmpty() ? BEFORE_ALL : decodeToken(request.getPageToken());
        int size = request.getPageSize() == 0 ? settings.defaultPageSize()
                : Math.min(request.getPageSize(), settings.maxPageSize());
        return assets.page(pool, after, request.getKindValue(), creator, size + 1).map(page -> {
            ListAssetsResponse.Builder response = ListAssetsResponse.newBuilder()
                    .addAllAssets(page.subList(0, Math.min(size, page.size())));
            if (page.size() > size) {
                response.setNextPageToken(encodeToken(page.get(size - 1).getId()));
            }
            return response.build();
        });
    }

    static UUID assetId(String field, String text) {
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw ERRORS.invalidArgument(field, "must be a UUID");
        }
        return id;
    }

    static RuntimeException notFound(String assetId) {
        return ERRORS.notFound(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND, "no asset with id " + assetId,
                Map.of("asset_id", assetId));
    }

    private static String encodeToken(String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PAGE_TOKEN_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static UUID decodeToken(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            UUID id = text.startsWith(PAGE_TOKEN_PREFIX) ? Ids.parseOrNull(text.substring(PAGE_TOKEN_PREFIX.length()))
                    : null;
            if (id != null) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ERRORS.status(com.google.rpc.Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_INVALID_PAGE_TOKEN,
                "page_token is not a token this service issued", Map.of("field", "page_token"));
    }
}
