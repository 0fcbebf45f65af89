package io.tribute.registry.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.tribute.registry.WalletBinding;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stores the wallet binding history of contributors. */
@ApplicationScoped
public class WalletBindingRepository implements PanacheRepositoryBase<WalletBinding, UUID> {

    private static final Sort OLDEST_FIRST = Sort.by("boundAt").and("id");

    public Uni<List<WalletBinding>> historyOf(UUID contributorId) {
        return list("contributorId", OLDEST_FIRST, contributorId);
    }

    /** The histories of several contributors in one query, oldest first; contributors without one are absent. */
    public Uni<Map<UUID, List<WalletBinding>>> historiesOf(Collection<UUID> contributorIds) {
        if (contributorIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return list("contributorId in ?1", OLDEST_FIRST, contributorIds).map(bindings -> {
            Map<UUID, List<WalletBinding>> byContributor = new LinkedHashMap<>();
            for (WalletBinding binding : bindings) {
                byContributor.computeIfAbsent(binding.contributorId, id -> new ArrayList<>()).add(binding);
            }
            return byContributor;
        });
    }

    public Uni<WalletBinding> currentOf(UUID contributorId) {
        return find("contributorId = ?1 and unboundAt is null", contributorId).firstResult();
    }
}
