package io.tribute.registry.service;

import io.tribute.common.json.CanonicalJson;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a manifest's payload, the canonical JSON registry.proto fixes for GetManifestResponse. */
public final class ManifestPayload {

    public static final int MANIFEST_VERSION = 1;
    private static final String KIND_PREFIX = "ASSET_KIND_";
    private static final String EDGE_PREFIX = "EDGE_TYPE_";
    private static final DateTimeFormatter MICROSECONDS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ManifestPayload() {
    }

    /**
     * The canonical JSON of {@code asset}, its creators with {@code payoutAccounts} (contributor id → CAIP-10
     * account at registration, null if none) and its parents.
     */
    public static String canonicalJson(String issuer, Asset asset, Map<String, String> payoutAccounts) {
        Map<String, Object> assetJson = new LinkedHashMap<>();
        assetJson.put("id", asset.getId());
        assetJson.put("kind", kind(asset.getKind()));
        assetJson.put("sha256", asset.getSha256());
        assetJson.put("size_bytes", Long.toUnsignedString(asset.getSizeBytes()));
        putUnlessEmpty(assetJson, "media_type", asset.getMediaType());
        putUnlessEmpty(assetJson, "uri", asset.getUri());
        putUnlessEmpty(assetJson, "license", asset.getLicense());
        putUnlessEmpty(assetJson, "display_name", asset.getDisplayName());
        if (asset.getAttributesCount() > 0) {
            assetJson.put("attributes", new TreeMap<>(asset.getAttributesMap()));
        }
        if (asset.getKind() == AssetKind.ASSET_KIND_DATASET) {
            assetJson.put("item_count", Long.toUnsignedString(asset.getItemCount()));
        }

        List<Map<String, Object>> creators = asset.getCreatorsList().stream()
                .sorted(Comparator.comparing(CreatorShare::getContributorId))
                .map(creator -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("contributor_id", creator.getContributorId());
                    json.put("share_ppm", creator.getSharePpm());
                    json.put("payout_account", payoutAccounts.get(creator.getContributorId()));
                    return json;
                })
                .toList();
        List<Map<String, Object>> parents = asset.getParentsList().stream()
                .sorted(Comparator.comparing(AssetParent::getParentAssetId)
                        .thenComparing(ManifestPayload::edge))
                .map(parent -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("asset_id", parent.getParentAssetId());
                    json.put("sha256", parent.getParentSha256());
                    json.put("kind", kind(parent.getParentKind()));
                    json.put("edge", edge(parent));
                    json.put("weight_ppm", parent.getWeightPpm());
                    return json;
                })
                .toList();

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("manifest_version", MANIFEST_VERSION);
        manifest.put("issuer", issuer);
        manifest.put("asset", assetJson);
        manifest.put("creators", creators);
        manifest.put("parents", parents);
        manifest.put("registered_at", MICROSECONDS_UTC.format(Instant.ofEpochSecond(
                asset.getRegisteredAt().getSeconds(), asset.getRegisteredAt().getNanos())));
        return CanonicalJson.write(manifest);
    }

    private static String kind(AssetKind kind) {
        return kind.name().substring(KIND_PREFIX.length());
    }

    private static String edge(AssetParent parent) {
        return parent.getEdgeType().name().substring(EDGE_PREFIX.length());
    }

    private static void putUnlessEmpty(Map<String, Object> json, String key, String value) {
        if (!value.isEmpty()) {
            json.put(key, value);
        }
    }
}
