package io.tribute.attribution.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** SQL of policy versions (immutable rows keyed by policy id and version). */
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

    /**
     * Up to {@code limit} versions after (afterId, afterVersion) in (policy id, version) order; afterId null =
     * from the start; policyId null = every policy; latestOnly = only each policy's newest version.
     */
    public Uni<List<PolicyVersion>> list(UUID policyId, boolean latestOnly, UUID afterId, int afterVersion, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        if (afterId != null) {
            where.append(" and (p.policyId > :afterId or (p.policyId = :afterId and p.version > :afterVersion))");
        }
        if (policyId != null) {
            where.append(" and p.policyId = :policyId");
        }
        if (latestOnly) {
            where.append(" and p.version = (select max(q.version) from PolicyVersion q where q.policyId = p.policyId)");
        }
        Parameters parameters = new Parameters();
        if (afterId != null) {
            parameters.and("afterId", afterId).and("afterVersion", afterVersion);
        }
        if (policyId != null) {
            parameters.and("policyId", policyId);
        }
        return find("from PolicyVersion p where " + where + " order by p.policyId, p.version", parameters)
                .range(0, limit - 1).list();
    }
}
