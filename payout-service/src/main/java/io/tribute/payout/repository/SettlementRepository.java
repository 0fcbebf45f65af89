package io.tribute.payout.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tribute.payout.Settlement;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SettlementRepository implements PanacheRepositoryBase<Settlement, UUID> {

    private static final List<Settlement.State> OPEN_STATES = List.of(Settlement.State.values()).stream()
            .filter(state -> !state.isFinal()).toList();

    /** A settlement of {@code currency} that is not yet SETTLED or FAILED, if there is one. */
    public Uni<Settlement> findOpen(String currency) {
        return find("currency = ?1 and state in ?2", currency, OPEN_STATES).firstResult();
    }
}
