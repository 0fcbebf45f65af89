package io.tribute.attribution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.mapping.AttributionForms;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** SQL of stored attributions (append-only rows). */
@ApplicationScoped
public class AttributionRepository {

    /** A stored attribution's columns that reads need. */
    public record StoredAttribution(UUID id, String attributionHash, long logIndex, byte[] record, byte[] evidence) {
    }

    /** Filters of ListAttributions; null fields do not filter. */
    public record ListFilter(UUID contributorId, UUID assetId, OffsetDateTime producedFrom, OffsetDateTime producedUntil,
            String platformRef) {
    }

    /** A stored record and its log index, in log order. */
    public record ListedRecord(long logIndex, byte[] record) {
    }

    /** Up to {@code limit} attributions after log index {@code after} (-1 = from the start) matching the filter. */
    public Uni<List<ListedRecord>> list(ListFilter filter, long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT a.log_index, a.record FROM attribution a WHERE a.log_index > :after");
        if (filter.contributorId() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM attribution_detail d WHERE d.attribution_id = a.attribution_id"
                    + " AND d.share_contributor_ids @> ARRAY[CAST(:contributor AS uuid)])");
        }
        if (filter.assetId() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM attribution_detail d WHERE d.attribution_id = a.attribution_id"
                    + " AND d.asset_ids @> ARRAY[CAST(:asset AS uuid)])");
        }
        if (filter.producedFrom() != null) {
            sql.append(" AND a.produced_at >= :from");
        }
        if (filter.producedUntil() != null) {
            sql.append(" AND a.produced_at < :until");
        }
        if (filter.platformRef() != null) {
            sql.append(" AND a.platform_ref = :ref");
        }
        sql.append(" ORDER BY a.log_index LIMIT :limit");
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), Object[].class)
                    .setParameter("after", after).setParameter("limit", limit);
            if (filter.contributorId() != null) {
                query.setParameter("contributor", filter.contributorId());
            }
            if (filter.assetId() != null) {
                query.setParameter("asset", filter.assetId());
            }
            if (filter.producedFrom() != null) {
                query.setParameter("from", filter.producedFrom());
            }
            if (filter.producedUntil() != null) {
                query.setParameter("until", filter.producedUntil());
            }
            if (filter.platformRef() != null) {
                query.setParameter("ref", filter.platformRef());
            }
            return query.getResultList();
        }).map(rows -> rows.stream()
                .map(row -> new ListedRecord(((Number) row[0]).longValue(), (byte[]) row[1])).toList());
    }

    public Uni<StoredAttribution> findById(UUID id) {
        return find("attribution_id = :key", id);
    }

    public Uni<StoredAttribution> findByOutput(String outputSha256) {
        return find("output_sha256 = :key", outputSha256);
    }

    private Uni<StoredAttribution> find(String condition, Object key) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT attribution_id, attribution_hash, log_index, record, evidence
                        FROM attribution WHERE\s""" + condition, Object[].class)
                .setParameter("key", key).getResultList())
                .map(rows -> rows.isEmpty() ? null : new StoredAttribution((UUID) rows.getFirst()[0],
                        (String) rows.getFirst()[1], ((Number) rows.getFirst()[2]).longValue(),
                        (byte[]) rows.getFirst()[3], (byte[]) rows.getFirst()[4]));
    }

    /**
     * A stored attribution's canonical inputs, whole: the lineage's node forms put back at their offset (V6;
     * rows stored before it hold them).
     */
    public Uni<byte[]> canonicalInputs(UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT a.canonical_inputs, a.lineage_nodes_at,
                               (SELECT string_agg(n.form, ',' ORDER BY k.position)
                                  FROM unnest(a.lineage_node_ids) WITH ORDINALITY AS k (asset_id, position)
                                  JOIN lineage_node n ON n.asset_id = k.asset_id) AS lineage_nodes
                        FROM attribution a WHERE a.attribution_id = :id""", Object[].class)
                .setParameter("id", id).getSingleResult())
                .map(row -> row[1] == null ? (byte[]) row[0] : AttributionForms.withNodes((byte[]) row[0],
                        ((Number) row[1]).intValue(), row[2] == null ? "" : (String) row[2]));
    }
}
