package io.tribute.registry.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.tribute.registry.Contributor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Stores contributors. */
@ApplicationScoped
public class ContributorRepository implements PanacheRepositoryBase<Contributor, UUID> {

    public Uni<Contributor> findByExternalRef(String externalRef) {
        return find("externalRef", externalRef).firstResult();
    }

    /**
     * Up to {@code limit} contributors with ids above {@code after} (null = from the start), ordered by id,
     * restricted to {@code ids} unless empty and to those with (true) or without (false) a payout account
     * unless null.
     */
    public Uni<List<Contributor>> page(UUID after, List<UUID> ids, Boolean hasPayoutAccount, int limit) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (after != null) {
            conditions.add("id > :after");
            parameters.and("after", after);
        }
        if (!ids.isEmpty()) {
            conditions.add("id in :ids");
            parameters.and("ids", ids);
        }
        if (hasPayoutAccount != null) {
            conditions.add(hasPayoutAccount ? "payoutAccount is not null" : "payoutAccount is null");
        }
        String query = conditions.isEmpty() ? "" : String.join(" and ", conditions);
        return find(query, Sort.by("id"), parameters).range(0, limit - 1).list();
    }
}
