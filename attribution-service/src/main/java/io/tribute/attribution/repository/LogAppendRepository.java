package io.tribute.attribution.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.NodeKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL of log appends on a writer's connection: fixed statements with one array per column (so they are
 * prepared once), sent together so that a lock, a read and an append cost one round trip each.
 */
@ApplicationScoped
public class LogAppendRepository {

    /** The advisory lock that serializes appends, so leaf order is the commit order of appends. */
    private static final long APPEND_LOCK = 0x7472_6962_6c6f_6701L;
    private static final String LOCK = "SELECT pg_advisory_xact_lock($1)";
    private static final String SIZE = "SELECT coalesce(max(leaf_index) + 1, 0) AS size FROM log_leaf";
    /** The frontier of LogGrowth.frontier(size): the last complete subtree of each level whose bit is set. */
    private static final String FRONTIER = """
            SELECT n.level, n.node_index, n.hash
            FROM (SELECT coalesce(max(leaf_index) + 1, 0) AS size FROM log_leaf) s
            CROSS JOIN generate_series(0, 62) AS l (level)
            JOIN log_node n ON n.level = l.level AND n.node_index = (s.size >> l.level) - 1
            WHERE (s.size >> l.level) & 1 = 1""";
    private static final String INSERT_LEAVES = """
            INSERT INTO log_leaf (leaf_index, leaf_data)
            SELECT * FROM unnest($1::bigint[], $2::bytea[])""";
    private static final String INSERT_NODES = """
            INSERT INTO log_node (level, node_index, hash)
            SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])""";

    /** The log's size and the hashes of its frontier, read under the append lock. */
    public record Tip(long size, Map<NodeKey, byte[]> frontier) {
    }

    /**
     * Takes the append lock until the transaction ends, then reads the size and frontier (one round trip:
     * the statements run in order, so the reads see every append committed before the lock was granted).
     */
    public Uni<Tip> lock(SqlConnection connection) {
        Uni<?> locked = connection.preparedQuery(LOCK).execute(Tuple.of(APPEND_LOCK));
        Uni<Long> size = connection.preparedQuery(SIZE).execute()
                .map(rows -> rows.iterator().next().getLong("size"));
        Uni<Map<NodeKey, byte[]>> frontier = connection.preparedQuery(FRONTIER).execute().map(rows -> {
            Map<NodeKey, byte[]> nodes = new HashMap<>();
            for (Row row : rows) {
                nodes.put(new NodeKey(row.getShort("level"), row.getLong("node_index")),
                        row.getBuffer("hash").getBytes());
            }
            return nodes;
        });
        return Uni.combine().all().unis(locked, size, frontier).with((ignored, n, nodes) -> new Tip(n, nodes));
    }

    /** Inserts leaves (their data, from {@code firstIndex} on) and the nodes they complete, in two statements. */
    public Uni<Void> insert(SqlConnection connection, long firstIndex, List<byte[]> leafData,
            Map<NodeKey, byte[]> newNodes) {
        Long[] indexes = new Long[leafData.size()];
        Buffer[] data = new Buffer[leafData.size()];
        for (int i = 0; i < leafData.size(); i++) {
            indexes[i] = firstIndex + i;
            data[i] = Buffer.buffer(leafData.get(i));
        }
        Short[] levels = new Short[newNodes.size()];
        Long[] positions = new Long[newNodes.size()];
        Buffer[] hashes = new Buffer[newNodes.size()];
        int i = 0;
        for (Map.Entry<NodeKey, byte[]> node : newNodes.entrySet()) {
            levels[i] = (short) node.getKey().level();
            positions[i] = node.getKey().index();
            hashes[i] = Buffer.buffer(node.getValue());
            i++;
        }
        return Uni.combine().all().unis(
                        connection.preparedQuery(INSERT_LEAVES).execute(Tuple.of(indexes, data)),
                        connection.preparedQuery(INSERT_NODES).execute(Tuple.of(levels, positions, hashes)))
                .discardItems();
    }
}
