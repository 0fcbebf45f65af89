package io.tribute.attribution.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class PolicyVersionRepository implements PanacheRepositoryBase<PolicyVersion, PolicyVersion.Key> {

    public Uni<PolicyVersion> findVersion(UUID policyId, int version) {
        return findById(new PolicyVersion.Key(policyId, version));
    }

    public Uni<PolicyVersion> findLatest(UUID policyId) {
        return find("policyId = ?1 order by version desc", policyId).firstResult();
    }

    /** The latest version, locked until the transaction ends, so concurrent new versions queue up. */
    public Uni<PolicyVersion> lockLatest(UUID policyId) {
        return find("policyId = ?1 order by version desc", policyId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
