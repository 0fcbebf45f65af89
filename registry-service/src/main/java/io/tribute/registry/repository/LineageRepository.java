package io.tribute.registry.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * GetLineage in one statement: a recursive walk over asset_parent (and, towards descendants, from a data
 * item to the datasets containing it), then every node reached with its creators, parents, aggregated
 * dataset item creators and (towards descendants) the reached items each dataset contains.
 */
@ApplicationScoped
public class LineageRepository {

    private static final String WALK = """
            WITH RECURSIVE walk(id, depth) AS (
                SELECT $1::uuid, 0
              UNION
                SELECT next.id, w.depth + 1
                  FROM walk w CROSS JOIN LATERAL (
                      SELECT p.parent_id AS id FROM asset_parent p
                       WHERE $2 AND p.child_id = w.id AND (cardinality($4::smallint[]) = 0 OR p.edge_type = ANY($4))
                      UNION ALL
                      SELECT p.child_id FROM asset_parent p
                       WHERE NOT $2 AND p.parent_id = w.id
                         AND (cardinality($4::smallint[]) = 0 OR p.edge_type = ANY($4))
                      UNION ALL
                      SELECT m.dataset_id FROM dataset_member m
                       WHERE NOT $2 AND m.item_id = w.id AND (cardinality($4::smallint[]) = 0 OR 5 = ANY($4))
                  ) next
                 WHERE w.depth < $3
            ), nodes AS (
                SELECT id, min(depth) AS depth FROM walk GROUP BY id
            )
            SELECT %s, n.depth,
                   CASE WHEN $5 AND a.kind = 2 THEN
                       (SELECT string_agg(d.contributor_id::text || ':' || d.weight || ':' || d.item_count, ','
                                          ORDER BY d.contributor_id)
                          FROM dataset_item_creator d WHERE d.dataset_id = a.id) END AS item_creators,
                   CASE WHEN NOT $2 AND a.kind = 2 THEN
                       (SELECT string_agg(m.item_id::text, ',') FROM dataset_member m
                         WHERE m.dataset_id = a.id AND m.item_id IN (SELECT id FROM nodes)) END AS contained
              FROM nodes n
             -- LATERAL: one primary-key probe per node; a plain join may be planned as a scan of every asset.
             CROSS JOIN LATERAL (SELECT * FROM asset x WHERE x.id = n.id) a
             ORDER BY n.depth, a.id
             LIMIT $6""".formatted(AssetRepository.ASSET_COLUMNS);

    /** The rows of the walk, ordered by (depth, id), at most {@code limit}. */
    public Uni<List<Row>> walk(SqlClient db, UUID start, boolean ancestors, int depth, Short[] edgeTypes,
            boolean itemCreators, int limit) {
        return db.preparedQuery(WALK).execute(Tuple.tuple(List.of(start, ancestors, depth, edgeTypes, itemCreators,
                limit))).map(rows -> {
                    List<Row> list = new ArrayList<>(rows.rowCount());
                    rows.forEach(list::add);
                    return list;
                });
    }
}
