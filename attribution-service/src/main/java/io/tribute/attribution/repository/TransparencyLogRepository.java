package io.tribute.attribution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.NodeKey;
import io.tribute.attribution.log.SignedCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** SQL of the transparency log: leaves, perfect-subtree hashes and checkpoints (all append-only). */
@ApplicationScoped
public class TransparencyLogRepository {

    /** The advisory lock that serializes appends, so leaf order is the commit order of appends. */
    private static final long APPEND_LOCK = 0x7472_6962_6c6f_6701L;
    private static final int ROWS_PER_INSERT = 1_000;

    /** Takes the append lock until the transaction ends and returns the current number of leaves. */
    public Uni<Long> lockForAppend() {
        return session().chain(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(:key)")
                        .setParameter("key", APPEND_LOCK).getSingleResult())
                .chain(locked -> treeSize());
    }

    /** Number of leaves committed (or appended by this transaction). */
    public Uni<Long> treeSize() {
        return session().chain(session -> session.createNativeQuery(
                        "SELECT coalesce(max(leaf_index) + 1, 0) FROM log_leaf", Long.class).getSingleResult())
                .map(Number::longValue);
    }

    /** The stored hashes of these nodes (missing nodes are absent from the map). */
    public Uni<Map<NodeKey, byte[]>> nodes(Collection<NodeKey> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<NodeKey> list = new ArrayList<>(keys);
        StringBuilder sql = new StringBuilder("SELECT level, node_index, hash FROM log_node WHERE (level, node_index) IN (");
        for (int i = 0; i < list.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:l").append(i).append(", :i").append(i).append(')');
        }
        sql.append(')');
        return session().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), Object[].class);
            for (int i = 0; i < list.size(); i++) {
                query.setParameter("l" + i, (short) list.get(i).level());
                query.setParameter("i" + i, list.get(i).index());
            }
            return query.getResultList();
        }).map(rows -> {
            Map<NodeKey, byte[]> found = new HashMap<>();
            for (Object[] row : rows) {
                found.put(new NodeKey(((Number) row[0]).intValue(), ((Number) row[1]).longValue()), (byte[]) row[2]);
            }
            return found;
        });
    }

    /** Inserts leaves (their data, from {@code firstIndex} on) and the nodes they complete. */
    public Uni<Void> insert(long firstIndex, List<byte[]> leafData, Map<NodeKey, byte[]> newNodes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int start = 0; start < leafData.size(); start += ROWS_PER_INSERT) {
            int from = start;
            int to = Math.min(leafData.size(), start + ROWS_PER_INSERT);
            chain = chain.chain(() -> insertLeaves(firstIndex + from, leafData.subList(from, to)));
        }
        List<Map.Entry<NodeKey, byte[]>> nodes = new ArrayList<>(newNodes.entrySet());
        for (int start = 0; start < nodes.size(); start += ROWS_PER_INSERT) {
            List<Map.Entry<NodeKey, byte[]>> slice = nodes.subList(start, Math.min(nodes.size(), start + ROWS_PER_INSERT));
            chain = chain.chain(() -> insertNodes(slice));
        }
        return chain;
    }

    private Uni<Void> insertLeaves(long firstIndex, List<byte[]> leaves) {
        StringBuilder sql = new StringBuilder("INSERT INTO log_leaf (leaf_index, leaf_data) VALUES ");
        for (int i = 0; i < leaves.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:i").append(i).append(", :d").append(i).append(')');
        }
        return session().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            for (int i = 0; i < leaves.size(); i++) {
                query.setParameter("i" + i, firstIndex + i);
                query.setParameter("d" + i, leaves.get(i));
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private Uni<Void> insertNodes(List<Map.Entry<NodeKey, byte[]>> nodes) {
        StringBuilder sql = new StringBuilder("INSERT INTO log_node (level, node_index, hash) VALUES ");
        for (int i = 0; i < nodes.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:l").append(i).append(", :i").append(i).append(", :h")
                    .append(i).append(')');
        }
        return session().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            for (int i = 0; i < nodes.size(); i++) {
                query.setParameter("l" + i, (short) nodes.get(i).getKey().level());
                query.setParameter("i" + i, nodes.get(i).getKey().index());
                query.setParameter("h" + i, nodes.get(i).getValue());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /** The leaf data at {@code index}, or null when there is no such leaf. */
    public Uni<byte[]> leafData(long index) {
        return session().chain(session -> session.createNativeQuery(
                        "SELECT leaf_data FROM log_leaf WHERE leaf_index = :index", byte[].class)
                .setParameter("index", index).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.getFirst());
    }

    /** The checkpoint of the largest tree size, or null before the first. */
    public Uni<SignedCheckpoint> latestCheckpoint() {
        return session().chain(session -> session.createNativeQuery("""
                        SELECT tree_size, root_hash, signed_at, note, signature, key_name, key_id, verifier_key
                        FROM log_checkpoint ORDER BY tree_size DESC LIMIT 1""", Object[].class).getResultList())
                .map(rows -> rows.isEmpty() ? null : checkpoint(rows.getFirst()));
    }

    /** Stores a checkpoint unless one of its tree size exists already (then the stored one stands). */
    public Uni<Void> insertCheckpoint(SignedCheckpoint checkpoint) {
        return session().chain(session -> session.createNativeQuery("""
                        INSERT INTO log_checkpoint (tree_size, root_hash, signed_at, note, signature, key_name,
                                                    key_id, verifier_key)
                        VALUES (:size, :root, :signedAt, :note, :signature, :keyName, :keyId, :verifierKey)
                        ON CONFLICT (tree_size) DO NOTHING""")
                .setParameter("size", checkpoint.treeSize())
                .setParameter("root", checkpoint.rootHash())
                .setParameter("signedAt", OffsetDateTime.ofInstant(checkpoint.timestamp(), ZoneOffset.UTC))
                .setParameter("note", checkpoint.note())
                .setParameter("signature", checkpoint.signature())
                .setParameter("keyName", checkpoint.keyName())
                .setParameter("keyId", checkpoint.keyId())
                .setParameter("verifierKey", checkpoint.verifierKey())
                .executeUpdate()).replaceWithVoid();
    }

    private static SignedCheckpoint checkpoint(Object[] row) {
        Object signedAt = row[2];
        java.time.Instant instant = signedAt instanceof OffsetDateTime odt ? odt.toInstant()
                : signedAt instanceof java.time.Instant i ? i
                : ((java.sql.Timestamp) signedAt).toInstant();
        return new SignedCheckpoint(((Number) row[0]).longValue(), (byte[]) row[1], instant, (String) row[3],
                (byte[]) row[4], (String) row[5], (String) row[6], (String) row[7]);
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
