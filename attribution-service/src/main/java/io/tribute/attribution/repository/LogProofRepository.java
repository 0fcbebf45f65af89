package io.tribute.attribution.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.NodeKey;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * SQL of proof reads: a leaf and the subtree hashes a proof needs, in one prepared statement on the pool,
 * outside any transaction (committed leaves and nodes never change).
 */
@ApplicationScoped
public class LogProofRepository {

    /** A leaf index that no leaf has: reads only the nodes. */
    public static final long NO_LEAF = -1;
    /** The level column of the leaf's row, below every node level. */
    private static final short LEAF_ROW = -1;
    private static final String READ = """
            SELECT $4::smallint AS level, leaf_index AS node_index, leaf_data AS hash FROM log_leaf
            WHERE leaf_index = $1
            UNION ALL
            SELECT n.level, n.node_index, n.hash FROM unnest($2::smallint[], $3::bigint[]) AS k (level, node_index)
            JOIN log_node n ON n.level = k.level AND n.node_index = k.node_index""";

    private final Pool pool;

    public LogProofRepository(Pool pool) {
        this.pool = pool;
    }

    /** The data of a leaf (null when absent or {@link #NO_LEAF}) and the stored hashes of these nodes. */
    public record ProofRows(byte[] leafData, Map<NodeKey, byte[]> nodes) {
    }

    public Uni<ProofRows> read(long leafIndex, Collection<NodeKey> keys) {
        Short[] levels = keys.stream().map(key -> (short) key.level()).toArray(Short[]::new);
        Long[] indexes = keys.stream().map(NodeKey::index).toArray(Long[]::new);
        return pool.preparedQuery(READ).execute(Tuple.of(leafIndex, levels, indexes, LEAF_ROW)).map(rows -> {
            byte[] leafData = null;
            Map<NodeKey, byte[]> nodes = new HashMap<>();
            for (Row row : rows) {
                byte[] hash = row.getBuffer("hash").getBytes();
                if (row.getShort("level") == LEAF_ROW) {
                    leafData = hash;
                } else {
                    nodes.put(new NodeKey(row.getShort("level"), row.getLong("node_index")), hash);
                }
            }
            return new ProofRows(leafData, nodes);
        });
    }
}
