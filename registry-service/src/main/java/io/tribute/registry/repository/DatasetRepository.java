package io.tribute.registry.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of dataset members, stored subtree hashes and aggregated item creators. */
@ApplicationScoped
public class DatasetRepository {

    private static final String RESOLVE = """
            SELECT a.id, a.kind FROM unnest($1::bytea[]) WITH ORDINALITY AS m(sha256, ord)
              LEFT JOIN asset a ON a.sha256 = m.sha256 ORDER BY m.ord""";
    private static final String INSERT_MEMBERS = """
            INSERT INTO dataset_member (dataset_id, leaf_index, item_id, item_sha256)
            SELECT $1, $2 + t.ord - 1, t.item_id, t.item_sha256
              FROM unnest($3::uuid[], $4::bytea[]) WITH ORDINALITY AS t(item_id, item_sha256, ord)""";
    private static final String INSERT_SUBTREES = """
            INSERT INTO dataset_subtree (dataset_id, level, node_index, hash)
            SELECT $1, t.level, t.node_index, t.hash
              FROM unnest($2::smallint[], $3::bigint[], $4::bytea[]) AS t(level, node_index, hash)""";
    private static final String AGGREGATE_ITEM_CREATORS = """
            INSERT INTO dataset_item_creator (dataset_id, contributor_id, weight, item_count)
            SELECT $1, c.contributor_id, sum(c.share_ppm), count(*)
              FROM dataset_member m JOIN asset_creator c ON c.asset_id = m.item_id
             WHERE m.dataset_id = $1 GROUP BY c.contributor_id""";
    /** The dataset, the item (joined by the condition filled in) and, if a member, its leaf: always one row. */
    private static final String MEMBER = """
            SELECT a.kind, encode(a.sha256, 'hex') AS dataset_sha256, a.item_count, m.leaf_index, i.id AS item_id,
                   encode(i.sha256, 'hex') AS item_sha256
              FROM (SELECT 1) one
              LEFT JOIN asset a ON a.id = $1
              LEFT JOIN asset i ON %s
              LEFT JOIN dataset_member m ON m.dataset_id = a.id AND m.item_id = i.id""";
    private static final String MEMBER_BY_ITEM_ID = MEMBER.formatted("i.id = $2");
    private static final String MEMBER_BY_ITEM_SHA = MEMBER.formatted("i.sha256 = $2");
    /**
     * Leaves (level -1, by leaf index) of one or two chunks, and stored subtree hashes, in one statement. Each
     * chunk is its own range condition: an OR of the two may be planned (generic plan) as a scan of every
     * member of the dataset.
     */
    private static final String PROOF_NODES = """
            SELECT -1::smallint AS level, leaf_index AS node_index, item_sha256 AS hash FROM dataset_member
             WHERE dataset_id = $1 AND leaf_index >= $2 AND leaf_index < $3
            UNION ALL
            SELECT -1::smallint, leaf_index, item_sha256 FROM dataset_member
             WHERE dataset_id = $1 AND leaf_index >= $4 AND leaf_index < $5
            UNION ALL
            SELECT level, node_index, hash FROM dataset_subtree
             WHERE dataset_id = $1 AND level = ANY($6::smallint[]) AND node_index = ANY($7::bigint[])""";

    /** Resolves item hashes to (id, kind) in the given order; a missing item gives a null id. */
    public Uni<List<Row>> resolve(SqlClient db, byte[][] shas) {
        Buffer[] keys = Arrays.stream(shas).map(Buffer::buffer).toArray(Buffer[]::new);
        return db.preparedQuery(RESOLVE).execute(Tuple.of((Object) keys)).map(rows -> {
            List<Row> list = new java.util.ArrayList<>(rows.rowCount());
            rows.forEach(list::add);
            return list;
        });
    }

    /** Inserts members starting at leaf {@code firstLeaf}. */
    public Uni<Void> insertMembers(SqlClient db, UUID datasetId, long firstLeaf, UUID[] itemIds, byte[][] itemShas) {
        Buffer[] shas = Arrays.stream(itemShas).map(Buffer::buffer).toArray(Buffer[]::new);
        return db.preparedQuery(INSERT_MEMBERS).execute(Tuple.of(datasetId, firstLeaf, itemIds, shas))
                .replaceWithVoid();
    }

    /** Inserts stored subtree hashes ({level, index, hash} rows). */
    public Uni<Void> insertSubtrees(SqlClient db, UUID datasetId, List<Object[]> subtrees) {
        if (subtrees.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Short[] levels = subtrees.stream().map(row -> (Short) row[0]).toArray(Short[]::new);
        Long[] indexes = subtrees.stream().map(row -> (Long) row[1]).toArray(Long[]::new);
        Buffer[] hashes = subtrees.stream().map(row -> Buffer.buffer((byte[]) row[2])).toArray(Buffer[]::new);
        return db.preparedQuery(INSERT_SUBTREES).execute(Tuple.of(datasetId, levels, indexes, hashes))
                .replaceWithVoid();
    }

    /** Aggregates the creators of a dataset's (already inserted) items. */
    public Uni<Void> aggregateItemCreators(SqlClient db, UUID datasetId) {
        return db.preparedQuery(AGGREGATE_ITEM_CREATORS).execute(Tuple.of(datasetId)).replaceWithVoid();
    }

    /**
     * The dataset (kind, sha256, item_count: null when no such asset), the item (item_id, item_sha256: null when
     * no such asset) given by id or by hash, and the item's leaf_index (null when not a member).
     */
    public Uni<Row> member(SqlClient db, UUID datasetId, UUID itemId, byte[] itemSha256) {
        return (itemId != null
                ? db.preparedQuery(MEMBER_BY_ITEM_ID).execute(Tuple.of(datasetId, itemId))
                : db.preparedQuery(MEMBER_BY_ITEM_SHA).execute(Tuple.of(datasetId, Buffer.buffer(itemSha256))))
                .map(rows -> rows.iterator().next());
    }

    /**
     * What a proof reads, in one statement: the leaves (index → item hash) of one or two chunks of
     * 2^chunkLevel leaves, and stored subtree hashes by "level/index" (a superset of the pairs asked).
     */
    public Uni<ProofNodes> proofNodes(SqlClient db, UUID datasetId, List<Long> chunks, int chunkLevel,
            List<Integer> levels, List<Long> indexes) {
        if (chunks.size() > 2) {
            throw new IllegalArgumentException("a proof reads at most two chunks, not " + chunks);
        }
        long first = chunks.getFirst();
        // One chunk: the second range is empty.
        long second = chunks.size() == 2 ? chunks.getLast() : -1;
        Short[] levelArray = levels.stream().map(Integer::shortValue).toArray(Short[]::new);
        long secondFrom = second < 0 ? 0 : second << chunkLevel;
        long secondTo = second < 0 ? 0 : (second + 1) << chunkLevel;
        return db.preparedQuery(PROOF_NODES).execute(Tuple.tuple(List.of(datasetId, first << chunkLevel,
                        (first + 1) << chunkLevel, secondFrom, secondTo, levelArray, indexes.toArray(Long[]::new))))
                .map(rows -> {
                    ProofNodes nodes = new ProofNodes(new HashMap<>(), new HashMap<>());
                    rows.forEach(row -> {
                        short level = row.getShort(0);
                        byte[] hash = row.getBuffer(2).getBytes();
                        if (level < 0) {
                            nodes.leaves().put(row.getLong(1), hash);
                        } else {
                            nodes.subtrees().put(level + "/" + row.getLong(1), hash);
                        }
                    });
                    return nodes;
                });
    }

    /** Leaves by index and stored subtree hashes by "level/index" (see DatasetTree). */
    public record ProofNodes(Map<Long, byte[]> leaves, Map<String, byte[]> subtrees) {
    }
}
