package io.tribute.payout.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.client.AttributionClient;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Unit test of AttributionShareCache alone: which lookups reach attribution-service. */
class AttributionShareCacheTest {

    /** Counts the lookups that reach the peer, and answers each with an attribution of one share. */
    private static final class CountingClient extends AttributionClient {
        final List<String> asked = new ArrayList<>();

        @Override
        public Uni<AttributedShares> fetch(UUID attributionId, String outputSha256) {
            String key = attributionId != null ? attributionId.toString() : outputSha256;
            asked.add(key);
            UUID id = attributionId != null ? attributionId : UUID.nameUUIDFromBytes(outputSha256.getBytes());
            return Uni.createFrom().item(new AttributedShares(id, "ab".repeat(32), Map.of("c", 1_000_000L)));
        }
    }

    private static PayoutSettings capacity(int size) {
        return (PayoutSettings) Proxy.newProxyInstance(PayoutSettings.class.getClassLoader(),
                new Class<?>[] {PayoutSettings.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("attributionCacheSize")) {
                        return size;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anAttributionSeenByIdIsNotAskedForAgain() {
        CountingClient client = new CountingClient();
        AttributionShareCache cache = new AttributionShareCache(client, capacity(10));
        UUID id = UUID.randomUUID();

        AttributedShares first = cache.fetch(id, null).await().indefinitely();
        AttributedShares second = cache.fetch(id, null).await().indefinitely();

        assertThat(second).isEqualTo(first);
        assertThat(client.asked).containsExactly(id.toString());
    }

    @Test
    void lookupsByOutputHashAlwaysAskButRememberTheIdTheyFound() {
        CountingClient client = new CountingClient();
        AttributionShareCache cache = new AttributionShareCache(client, capacity(10));
        String hash = "cd".repeat(32);

        UUID found = cache.fetch(null, hash).await().indefinitely().attributionId();
        cache.fetch(null, hash).await().indefinitely();
        cache.fetch(found, null).await().indefinitely();

        assertThat(client.asked).containsExactly(hash, hash);
    }

    @Test
    void theLeastRecentlyUsedAttributionIsEvictedBeyondTheCapacity() {
        CountingClient client = new CountingClient();
        AttributionShareCache cache = new AttributionShareCache(client, capacity(2));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();

        cache.fetch(a, null).await().indefinitely();
        cache.fetch(b, null).await().indefinitely();
        cache.fetch(a, null).await().indefinitely();
        cache.fetch(c, null).await().indefinitely();
        cache.fetch(a, null).await().indefinitely();
        cache.fetch(b, null).await().indefinitely();

        assertThat(client.asked).containsExactly(a.toString(), b.toString(), c.toString(), b.toString());
    }
}
