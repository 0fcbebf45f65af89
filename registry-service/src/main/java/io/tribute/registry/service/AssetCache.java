package io.tribute.registry.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.mapping.WireStrings;
import io.tribute.registry.v1.Asset;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Recently read or registered assets, by id and by content hash. Safe because an asset never changes once
 * committed: only committed assets are put here, and a miss simply reads the database.
 */
@ApplicationScoped
public class AssetCache {

    private final Cache<UUID, Asset> byId;
    private final Cache<String, Asset> bySha256;

    public AssetCache(AssetSettings settings) {
        this.byId = Caffeine.newBuilder().maximumSize(settings.assetCacheSize()).executor(Runnable::run).build();
        this.bySha256 = Caffeine.newBuilder().maximumSize(settings.assetCacheSize()).executor(Runnable::run).build();
    }

    public Asset byId(UUID id) {
        return byId.getIfPresent(id);
    }

    public Asset bySha256(String sha256) {
        return bySha256.getIfPresent(sha256);
    }

    /**
     * Remembers a committed asset, its strings encoded once so that every hit copies them (see WireStrings; the
     * keys are read first: a string getter turns its field back into a String).
     */
    public void put(Asset asset) {
        UUID id = UUID.fromString(asset.getId());
        String sha256 = asset.getSha256();
        Asset encoded = WireStrings.encoded(asset);
        byId.put(id, encoded);
        bySha256.put(sha256, encoded);
    }
}
