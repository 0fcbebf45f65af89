package io.tribute.payout.client;

import io.quarkus.test.Mock;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for registry-service at the RegistryClient seam while its ListContributors/wallet binding is being
 * built: tests bind payout accounts here. (The end-to-end test against the real service belongs to issue #7.)
 */
@Mock
@ApplicationScoped
public class FakeRegistryClient extends RegistryClient {

    private static final Map<UUID, String> ACCOUNTS = new ConcurrentHashMap<>();

    /** Binds a contributor's payout account (CAIP-10). */
    public static void bind(UUID contributor, String payoutAccount) {
        ACCOUNTS.put(contributor, payoutAccount);
    }

    @Override
    public Uni<Map<UUID, String>> payoutAccounts(List<UUID> contributors) {
        Map<UUID, String> bound = new HashMap<>();
        contributors.forEach(contributor -> {
            if (ACCOUNTS.containsKey(contributor)) {
                bound.put(contributor, ACCOUNTS.get(contributor));
            }
        });
        return Uni.createFrom().item(bound);
    }
}
