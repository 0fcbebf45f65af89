package io.tribute.registry.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tribute.registry.config.AssetSettings;
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

    /** Remembers a committed asset. */
    public void put(Asset asset) {
        Asset serialized = serializedForm(asset);
        byId.put(UUID.fromString(asset.getId()), serialized);
        bySha256.put(asset.getSha256(), serialized);
    }

    /**
     * The same message re-parsed from its bytes: protobuf then holds its strings as UTF-8 bytes, so every later
     * reply copies them instead of encoding each string again (most of a cached read's cost otherwise).
     */
    static <M extends Message> M serializedForm(M message) {
        try {
            @SuppressWarnings("unchecked")
            M parsed = (M) message.getParserForType().parseFrom(message.toByteString());
            return parsed;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message does not parse its own bytes", e);
        }
    }
}
