package io.tribute.registry.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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
    /**
     * A proof in one statement. The first row (level -2) is the dataset (kind, sha256 as hash, item_count: null
     * when no such asset), the item (item_id, item_sha256: null when no such asset) and its leaf_index (as
     * node_index: null when not a member). Then, for a member, the leaves (level -1) of its chunk and of the last,
     * partial chunk, and the stored subtrees its audit path can use: at each stored level the sibling of its
     * ancestor, and the last perfect subtree (n >> level) - 1; RFC 9162 splits a range that ends at the last leaf
     * along the set bits of the tree size n, into such subtrees. Levels go up to 62, the highest a positive bigint
     * count has.
     * <p>Written so that PostgreSQL keeps one generic plan for it: the chunk level is part of the text (as a
     * parameter, each call's custom plan would see another row estimate for generate_series and be planned anew,
     * about 1 ms, twice the execution), and each stored level is read by its own primary-key probe (the LATERAL
     * subquery with OFFSET 0 is not pulled up into a join that a generic plan would run as a scan of every
     * subtree of the dataset).
     */
    private static final String PROOF = """
            WITH target AS (
                SELECT a.kind, a.sha256 AS dataset_sha256, a.item_count, m.leaf_index, i.id AS item_id,
                       i.sha256 AS item_sha256
                  FROM (SELECT 1) one
                  LEFT JOIN asset a ON a.id = $1
                  LEFT JOIN asset i ON %1$s
                  LEFT JOIN dataset_member m ON m.dataset_id = a.id AND m.item_id = i.id
            )
            SELECT -2::smallint AS level, leaf_index AS node_index, dataset_sha256 AS hash, kind, item_count,
                   item_id, item_sha256
              FROM target
            UNION ALL
            SELECT -1::smallint, d.leaf_index, d.item_sha256, NULL, NULL, NULL, NULL
              FROM target t JOIN dataset_member d ON d.dataset_id = $1
                   AND d.leaf_index >= (t.leaf_index >> %2$d) << %2$d
                   AND d.leaf_index < ((t.leaf_index >> %2$d) + 1) << %2$d
            UNION ALL
            SELECT -1::smallint, d.leaf_index, d.item_sha256, NULL, NULL, NULL, NULL
              FROM target t JOIN dataset_member d ON d.dataset_id = $1
                   AND d.leaf_index >= (t.item_count >> %2$d) << %2$d AND d.leaf_index < t.item_count
             WHERE t.item_count >> %2$d <> t.leaf_index >> %2$d
            UNION ALL
            SELECT s.level, s.node_index, s.hash, NULL, NULL, NULL, NULL
              FROM target t CROSS JOIN generate_series(%2$d, 62) AS l(level)
             CROSS JOIN LATERAL (SELECT x.level, x.node_index, x.hash FROM dataset_subtree x
                    WHERE x.dataset_id = $1 AND x.level = l.level::smallint
                      AND x.node_index = ANY (ARRAY[(t.leaf_index >> l.level) # 1, (t.item_count >> l.level) - 1])
                   OFFSET 0) s
             WHERE t.item_count >> l.level > 0""";
    /**
     * A dataset's whole tree as stored: its members' hashes in leaf order (level -1), in blocks of 2^15 so that no
     * value is large, then its stored subtree hashes, one row per level in index order.
     */
    private static final String TREE = """
            SELECT -1::smallint AS level, leaf_index >> 15 AS block,
                   string_agg(item_sha256, ''::bytea ORDER BY leaf_index) AS hashes
              FROM dataset_member WHERE dataset_id = $1 GROUP BY leaf_index >> 15
            UNION ALL
            SELECT level, 0, string_agg(hash, ''::bytea ORDER BY node_index)
              FROM dataset_subtree WHERE dataset_id = $1 GROUP BY level
             ORDER BY level, block""";
    private static final String ITEM_BY_ID = "SELECT id, sha256 FROM asset WHERE id = $1";
    private static final String ITEM_BY_SHA = "SELECT id, sha256 FROM asset WHERE sha256 = $1";
    /** PROOF's row kinds, in its level column: the target row, and a leaf (stored subtrees have their level). */
    private static final short LEVEL_TARGET = -2;
    private static final short LEVEL_LEAF = -1;
    /** PROOF's text by chunk level, finding the item by id and by content hash. */
    private final Map<Integer, String> proofByItemId = new ConcurrentHashMap<>();
    private final Map<Integer, String> proofByItemSha = new ConcurrentHashMap<>();

    /** Resolves item hashes to (id, kind) in the given order; a missing item gives a null id. */
    public Uni<List<Row>> resolve(SqlClient db, byte[][] shas) {
        Buffer[] keys = Arrays.stream(shas).map(Buffer::buffer).toArray(Buffer[]::new);
        return db.preparedQuery(RESOLVE).execute(Tuple.of((Object) keys)).map(rows -> {
            List<Row> list = new ArrayList<>(rows.rowCount());
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
     * What a membership proof reads, in one statement (see PROOF): the dataset and item, and for a member the
     * leaves and stored subtrees of 2^chunkLevel leaves and more that its audit path needs.
     */
    public Uni<ProofNodes> proofNodes(SqlClient db, UUID datasetId, UUID itemId, byte[] itemSha256, int chunkLevel) {
        Tuple params = itemId != null ? Tuple.of(datasetId, itemId) : Tuple.of(datasetId, Buffer.buffer(itemSha256));
        String sql = itemId != null
                ? proofByItemId.computeIfAbsent(chunkLevel, level -> PROOF.formatted("i.id = $2", level))
                : proofByItemSha.computeIfAbsent(chunkLevel, level -> PROOF.formatted("i.sha256 = $2", level));
        return db.preparedQuery(sql).execute(params).map(rows -> {
            ProofTarget target = null;
            Map<Long, byte[]> leaves = new HashMap<>();
            Map<String, byte[]> subtrees = new HashMap<>();
            for (Row row : rows) {
                short level = row.getShort("level");
                if (level == LEVEL_TARGET) {
                    target = new ProofTarget(row.getShort("kind"), bytes(row.getBuffer("hash")),
                            row.getLong("item_count"), row.getUUID("item_id"), bytes(row.getBuffer("item_sha256")),
                            row.getLong("node_index"));
                } else if (level == LEVEL_LEAF) {
                    leaves.put(row.getLong("node_index"), row.getBuffer("hash").getBytes());
                } else {
                    subtrees.put(level + "/" + row.getLong("node_index"), row.getBuffer("hash").getBytes());
                }
            }
            return new ProofNodes(target, leaves, subtrees);
        });
    }

    /** A dataset's stored tree: its members' hashes in leaf order (in blocks) and its stored subtrees by level. */
    public Uni<StoredTree> tree(SqlClient db, UUID datasetId) {
        return db.preparedQuery(TREE).execute(Tuple.of(datasetId)).map(rows -> {
            List<byte[]> itemBlocks = new ArrayList<>();
            List<byte[]> levels = new ArrayList<>();
            for (Row row : rows) {
                byte[] hashes = row.getBuffer("hashes").getBytes();
                (row.getShort("level") == LEVEL_LEAF ? itemBlocks : levels).add(hashes);
            }
            return new StoredTree(itemBlocks, levels);
        });
    }

    /** The asset with this id (when itemId is set) or else this content hash: its id and sha256, or null. */
    public Uni<ItemKey> item(SqlClient db, UUID itemId, byte[] itemSha256) {
        Uni<RowSet<Row>> rows = itemId != null
                ? db.preparedQuery(ITEM_BY_ID).execute(Tuple.of(itemId))
                : db.preparedQuery(ITEM_BY_SHA).execute(Tuple.of(Buffer.buffer(itemSha256)));
        return rows.map(found -> {
            var iterator = found.iterator();
            if (!iterator.hasNext()) {
                return null;
            }
            Row row = iterator.next();
            return new ItemKey(row.getUUID("id"), row.getBuffer("sha256").getBytes());
        });
    }

    private static byte[] bytes(io.vertx.mutiny.core.buffer.Buffer buffer) {
        return buffer == null ? null : buffer.getBytes();
    }

    /**
     * The dataset (kind, sha256, item_count: null when no such asset), the item (id, sha256: null when no such
     * asset) and the item's leaf index (null when not a member).
     */
    public record ProofTarget(Short kind, byte[] datasetSha256, Long itemCount, UUID itemId, byte[] itemSha256,
            Long leafIndex) {
    }

    /**
     * A dataset's members' hashes in leaf order, concatenated in consecutive blocks, and its stored subtree hashes
     * of each level (lowest first), concatenated in index order.
     */
    public record StoredTree(List<byte[]> itemBlocks, List<byte[]> subtreesByLevel) {
    }

    /** An asset's id and content hash. */
    public record ItemKey(UUID id, byte[] sha256) {
    }

    /** The proof's target, its leaves by index and stored subtree hashes by "level/index" (see DatasetTree). */
    public record ProofNodes(ProofTarget target, Map<Long, byte[]> leaves, Map<String, byte[]> subtrees) {
    }
}
