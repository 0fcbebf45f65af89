package io.tribute.payout.service;

import io.smallrye.mutiny.Uni;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.client.AttributionClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Attributions' shares by id, least recently used evicted: an attribution never changes once written, so RecordRevenue
 * need not ask attribution-service again for one it has seen (lookups by output hash always ask).
 */
@ApplicationScoped
public class AttributionShareCache {

    private final AttributionClient attributions;
    private final Map<UUID, AttributedShares> byId;

    public AttributionShareCache(AttributionClient attributions, PayoutSettings settings) {
        this.attributions = attributions;
        int capacity = settings.attributionCacheSize();
        this.byId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, AttributedShares> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The attribution by id (when {@code attributionId} is set) or by output hash, as AttributionClient.fetch. */
    public Uni<AttributedShares> fetch(UUID attributionId, String outputSha256) {
        if (attributionId != null) {
            AttributedShares cached = cached(attributionId);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
        }
        return attributions.fetch(attributionId, outputSha256).invoke(this::remember);
    }

    private synchronized AttributedShares cached(UUID attributionId) {
        return byId.get(attributionId);
    }

    private synchronized void remember(AttributedShares shares) {
        if (shares.attributionId() != null) {
            byId.put(shares.attributionId(), shares);
        }
    }
}
