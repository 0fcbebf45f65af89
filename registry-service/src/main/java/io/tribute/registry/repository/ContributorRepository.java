package io.tribute.registry.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tribute.registry.Contributor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ContributorRepository implements PanacheRepositoryBase<Contributor, UUID> {

    public Uni<Contributor> findByExternalRef(String externalRef) {
        return find("externalRef", externalRef).firstResult();
    }
}
