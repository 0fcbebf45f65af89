package io.tribute.attribution.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.attribution.PolicyVersion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * SQL of the policy version an attribution applies: one prepared statement on the pool, without a
 * Hibernate session (every AttributeOutput reads it). The version is detached: read, never written.
 */
@ApplicationScoped
public class PolicyLookupRepository {

    /** $2 = 0 reads the latest version. */
    private static final String FIND = """
            SELECT policy_id, version, name, description, training_data_ppm, architecture_ppm, model_builders_ppm,
                   prompt_ppm, review_ppm, finetune_upstream_share_ppm, depth_limit, minimum_share_ppm,
                   dataset_item_fraction_ppm, created_at
            FROM policy_version WHERE policy_id = $1 AND ($2 = 0 OR version = $2)
            ORDER BY version DESC LIMIT 1""";

    private final Pool pool;

    public PolicyLookupRepository(Pool pool) {
        this.pool = pool;
    }

    /** The version asked for (the latest when {@code version} is 0), or null when there is none. */
    public Uni<PolicyVersion> find(UUID policyId, int version) {
        return pool.preparedQuery(FIND).execute(Tuple.of(policyId, version)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            return found.hasNext() ? policy(found.next()) : null;
        });
    }

    static PolicyVersion policy(Row row) {
        PolicyVersion policy = new PolicyVersion();
        policy.policyId = row.getUUID("policy_id");
        policy.version = row.getInteger("version");
        policy.name = row.getString("name");
        policy.description = row.getString("description");
        policy.trainingDataPpm = row.getInteger("training_data_ppm");
        policy.architecturePpm = row.getInteger("architecture_ppm");
        policy.modelBuildersPpm = row.getInteger("model_builders_ppm");
        policy.promptPpm = row.getInteger("prompt_ppm");
        policy.reviewPpm = row.getInteger("review_ppm");
        policy.finetuneUpstreamSharePpm = row.getInteger("finetune_upstream_share_ppm");
        policy.depthLimit = row.getInteger("depth_limit");
        policy.minimumSharePpm = row.getInteger("minimum_share_ppm");
        policy.datasetItemFractionPpm = row.getInteger("dataset_item_fraction_ppm");
        policy.createdAt = row.getOffsetDateTime("created_at");
        return policy;
    }
}
