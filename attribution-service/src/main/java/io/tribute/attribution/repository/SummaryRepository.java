package io.tribute.attribution.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SummarizeAttributions as one SQL statement: select the outputs, aggregate their stored per-role values
 * (the share and asset arrays of attribution_detail, unnested) by group, rank the groups and total the
 * rest, all in PostgreSQL.
 */
@ApplicationScoped
public class SummaryRepository {

    /** What is grouped: the row source and its key. */
    public enum Grouping {
        /** Each contributor's share_ppm once per output (no role restriction). */
        CONTRIBUTOR_SHARES("""
                SELECT d.attribution_id, s.contributor_id::text AS key, 0 AS kind,
                       max(s.share_ppm)::bigint * 1000000 AS ppt
                FROM attribution_detail d JOIN selected USING (attribution_id)
                CROSS JOIN LATERAL unnest(d.share_contributor_ids, d.share_roles, d.share_ppm, d.share_value_ppt)
                    AS s (contributor_id, role, share_ppm, value_ppt)
                WHERE cardinality($4::smallint[]) >= 0
                GROUP BY d.attribution_id, s.contributor_id"""),
        /** The value that reached each contributor through the requested roles. */
        CONTRIBUTOR_ROLES("""
                SELECT d.attribution_id, s.contributor_id::text AS key, 0 AS kind, s.value_ppt AS ppt
                FROM attribution_detail d JOIN selected USING (attribution_id)
                CROSS JOIN LATERAL unnest(d.share_contributor_ids, d.share_roles, d.share_ppm, d.share_value_ppt)
                    AS s (contributor_id, role, share_ppm, value_ppt)
                WHERE s.role = ANY($4::smallint[])"""),
        /** The value that reached each credited asset (through the requested roles). */
        ASSET("""
                SELECT d.attribution_id, x.asset_id::text AS key, x.asset_kind AS kind, x.value_ppt AS ppt
                FROM attribution_detail d JOIN selected USING (attribution_id)
                CROSS JOIN LATERAL unnest(d.asset_ids, d.asset_roles, d.asset_kinds, d.asset_value_ppt)
                    AS x (asset_id, role, asset_kind, value_ppt)
                WHERE x.role = ANY($4::smallint[])"""),
        /** The value each role received (over every credited asset). */
        ROLE("""
                SELECT d.attribution_id, x.role::text AS key, 0 AS kind, x.value_ppt AS ppt
                FROM attribution_detail d JOIN selected USING (attribution_id)
                CROSS JOIN LATERAL unnest(d.asset_ids, d.asset_roles, d.asset_kinds, d.asset_value_ppt)
                    AS x (asset_id, role, asset_kind, value_ppt)
                WHERE x.role = ANY($4::smallint[])""");

        private final String source;

        Grouping(String source) {
            this.source = source;
        }
    }

    /** Which outputs: exactly one of the fields is set (a time range may leave both ends open). */
    public record Selector(UUID[] attributionIds, String[] outputHashes, String platformRef, OffsetDateTime from,
            OffsetDateTime until, boolean byTime) {
    }

    /** One group: its key (uuid text or role number), asset kind (0 unless by asset), outputs and ppm. */
    public record Group(String key, short assetKind, long outputCount, long totalPpm) {
    }

    /**
     * The summary. {@code selectedOutputs} is at most maxOutputs + 1; when it exceeds maxOutputs the groups are
     * not computed (empty).
     */
    public record Summary(long selectedOutputs, List<Group> top, long totalPpm, long groupCount) {
    }

    private final Pool pool;

    public SummaryRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Parameters: $1 max outputs, $2 top k, $3 the selector's value(s), $4 roles (smallint numbers), and $5
     * for a time range's end.
     */
    public Uni<Summary> summarize(Selector selector, Grouping grouping, Short[] roles, int maxOutputs, int topK) {
        String where;
        Object selectorValue;
        Object rangeEnd = null;
        if (selector.attributionIds() != null) {
            where = "a.attribution_id = ANY($3::uuid[])";
            selectorValue = selector.attributionIds();
        } else if (selector.outputHashes() != null) {
            where = "a.output_sha256 = ANY($3::text[])";
            selectorValue = selector.outputHashes();
        } else if (selector.platformRef() != null) {
            where = "a.platform_ref = $3";
            selectorValue = selector.platformRef();
        } else {
            where = "($3::timestamptz IS NULL OR a.produced_at >= $3) AND ($5::timestamptz IS NULL OR a.produced_at < $5)";
            selectorValue = selector.from();
            rangeEnd = selector.until();
        }
        String sql = """
                WITH selected AS MATERIALIZED (
                    SELECT a.attribution_id FROM attribution a WHERE %s LIMIT $1 + 1),
                n AS (SELECT count(*) AS outputs FROM selected),
                grouped AS (
                    SELECT g.key, min(g.kind)::smallint AS kind, count(DISTINCT g.attribution_id) AS outputs,
                           div(sum(g.ppt), 1000000)::bigint AS ppm
                    FROM (%s) g
                    WHERE g.ppt > 0 AND (SELECT outputs FROM n) <= $1
                    GROUP BY g.key),
                ranked AS (
                    SELECT key, kind, outputs, ppm, sum(ppm) OVER () AS all_ppm, count(*) OVER () AS all_groups,
                           row_number() OVER (ORDER BY ppm DESC, key) AS rank
                    FROM grouped)
                SELECT n.outputs, r.key, r.kind, r.outputs AS group_outputs, r.ppm, r.all_ppm, r.all_groups
                FROM n LEFT JOIN ranked r ON r.rank <= $2
                ORDER BY r.rank""".formatted(where, grouping.source);
        Tuple parameters = Tuple.of(maxOutputs, topK, selectorValue, roles);
        if (selector.byTime()) {
            parameters.addValue(rangeEnd);
        }
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            long selected = 0;
            long totalPpm = 0;
            long groupCount = 0;
            List<Group> top = new ArrayList<>();
            for (Row row : rows) {
                selected = row.getLong("outputs");
                if (row.getString("key") != null) {
                    top.add(new Group(row.getString("key"), row.getShort("kind"), row.getLong("group_outputs"),
                            row.getLong("ppm")));
                    totalPpm = row.getNumeric("all_ppm").longValue();
                    groupCount = row.getLong("all_groups");
                }
            }
            return new Summary(selected, top, totalPpm, groupCount);
        });
    }
}
