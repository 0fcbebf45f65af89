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
    private static final String MEMBER = """
            SELECT a.kind, encode(a.sha256, 'hex') AS dataset_sha256, a.item_count, m.leaf_index, m.item_id,
                   encode(m.item_sha256, 'hex') AS item_sha256
              FROM asset a LEFT JOIN dataset_member m ON m.dataset_id = a.id AND m.item_id = $2
             WHERE a.id = $1""";
    private static final String ITEM_ID_BY_SHA = "SELECT id FROM asset WHERE sha256 = $1";
    private static final String CHUNK_LEAVES = """
            SELECT leaf_index, item_sha256 FROM dataset_member
             WHERE dataset_id = $1 AND ((leaf_index >= $2 AND leaf_index < $3) OR (leaf_index >= $4 AND leaf_index < $5))""";
    private static final String SUBTREES = """
            SELECT level, node_index, hash FROM dataset_subtree
             WHERE dataset_id = $1 AND level = ANY($2::smallint[]) AND node_index = ANY($3::bigint[])""";

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

    /** The dataset (kind, sha256, item_count) and, if a member, the item's leaf; empty if no such asset. */
    public Uni<Row> member(SqlClient db, UUID datasetId, UUID itemId) {
        return db.preparedQuery(MEMBER).execute(Tuple.of(datasetId, itemId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    }

    /** The id of the asset with this content hash, or null. */
    public Uni<UUID> itemIdBySha(SqlClient db, byte[] sha256) {
        return db.preparedQuery(ITEM_ID_BY_SHA).execute(Tuple.of(Buffer.buffer(sha256)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID(0) : null);
    }

    /** The leaves (index → item hash) of one or two chunks of 2^chunkLevel leaves (all a proof needs). */
    public Uni<Map<Long, byte[]>> chunkLeaves(SqlClient db, UUID datasetId, List<Long> chunks, int chunkLevel) {
        long first = chunks.getFirst();
        long second = chunks.getLast();
        if (chunks.size() > 2) {
            throw new IllegalArgumentException("a proof reads at most two chunks, not " + chunks);
        }
        return db.preparedQuery(CHUNK_LEAVES).execute(Tuple.tuple(List.of(datasetId, first << chunkLevel,
                        (first + 1) << chunkLevel, second << chunkLevel, (second + 1) << chunkLevel)))
                .map(rows -> {
                    Map<Long, byte[]> leaves = new HashMap<>();
                    rows.forEach(row -> leaves.put(row.getLong(0), row.getBuffer(1).getBytes()));
                    return leaves;
                });
    }

    /** Stored subtree hashes by "level/index" (a superset of the pairs asked; the caller picks). */
    public Uni<Map<String, byte[]>> subtrees(SqlClient db, UUID datasetId, List<Integer> levels, List<Long> indexes) {
        Short[] levelArray = levels.stream().map(Integer::shortValue).toArray(Short[]::new);
        return db.preparedQuery(SUBTREES).execute(Tuple.of(datasetId, levelArray, indexes.toArray(Long[]::new)))
                .map(rows -> {
                    Map<String, byte[]> hashes = new HashMap<>();
                    rows.forEach(row -> hashes.put(row.getShort(0) + "/" + row.getLong(1),
                            row.getBuffer(2).getBytes()));
                    return hashes;
                });
    }
}
