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

/** SQL of checkpoints (append-only) and the reads that signing one needs, in the caller's session. */
@ApplicationScoped
public class TransparencyLogRepository {

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
