package io.tribute.attribution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** SQL of stored attributions (append-only rows). */
@ApplicationScoped
public class AttributionRepository {

    private static final int ROWS_PER_INSERT = 1_000;

    /** One attribution as inserted. */
    public record NewAttribution(UUID id, String outputSha256, String platformRef, OffsetDateTime producedAt,
            UUID policyId, int policyVersion, String attributionHash, long logIndex, OffsetDateTime createdAt,
            byte[] record, byte[] evidence, byte[] canonicalInputs) {
    }

    /** A contributor's share and the part that came through one role. */
    public record ShareRow(UUID contributorId, short role, int sharePpm, long valuePpt) {
    }

    /** The value that reached an asset through one role (0 for assets only passed through). */
    public record AssetRow(UUID assetId, short role, short assetKind, long valuePpt) {
    }

    /** A stored attribution's columns that reads need. */
    public record StoredAttribution(UUID id, String attributionHash, long logIndex, byte[] record, byte[] evidence,
            byte[] canonicalInputs) {
    }

    /** The idempotency row (rpc, request digest, response) of a request id that completed, or null. */
    public Uni<Object[]> findCompletedRequest(String requestId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT rpc, request_sha256, response FROM idempotent_request "
                                + "WHERE request_id = :id AND response IS NOT NULL", Object[].class)
                .setParameter("id", requestId).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.getFirst());
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
            sql.append(" AND EXISTS (SELECT 1 FROM attribution_share s WHERE s.attribution_id = a.attribution_id"
                    + " AND s.contributor_id = :contributor)");
        }
        if (filter.assetId() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM attribution_asset x WHERE x.attribution_id = a.attribution_id"
                    + " AND x.asset_id = :asset)");
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

    public Uni<UUID> findIdByOutput(String outputSha256) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT attribution_id FROM attribution WHERE output_sha256 = :sha", UUID.class)
                .setParameter("sha", outputSha256).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.getFirst());
    }

    public Uni<StoredAttribution> findById(UUID id) {
        return find("attribution_id = :key", id);
    }

    public Uni<StoredAttribution> findByOutput(String outputSha256) {
        return find("output_sha256 = :key", outputSha256);
    }

    private Uni<StoredAttribution> find(String condition, Object key) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT attribution_id, attribution_hash, log_index, record, evidence, canonical_inputs
                        FROM attribution WHERE\s""" + condition, Object[].class)
                .setParameter("key", key).getResultList())
                .map(rows -> rows.isEmpty() ? null : new StoredAttribution((UUID) rows.getFirst()[0],
                        (String) rows.getFirst()[1], ((Number) rows.getFirst()[2]).longValue(),
                        (byte[]) rows.getFirst()[3], (byte[]) rows.getFirst()[4], (byte[]) rows.getFirst()[5]));
    }

    public Uni<Void> insert(NewAttribution attribution, List<ShareRow> shares, List<AssetRow> assets) {
        Uni<Void> chain = Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                            policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs)
                        VALUES (:id, :sha, :ref, :producedAt, :policyId, :policyVersion, :hash, :logIndex, :createdAt,
                            :record, :evidence, :inputs)""")
                .setParameter("id", attribution.id())
                .setParameter("sha", attribution.outputSha256())
                .setParameter("ref", attribution.platformRef())
                .setParameter("producedAt", attribution.producedAt())
                .setParameter("policyId", attribution.policyId())
                .setParameter("policyVersion", attribution.policyVersion())
                .setParameter("hash", attribution.attributionHash())
                .setParameter("logIndex", attribution.logIndex())
                .setParameter("createdAt", attribution.createdAt())
                .setParameter("record", attribution.record())
                .setParameter("evidence", attribution.evidence() == null ? new byte[0] : attribution.evidence())
                .setParameter("inputs", attribution.canonicalInputs())
                .executeUpdate()).replaceWithVoid();
        for (int start = 0; start < shares.size(); start += ROWS_PER_INSERT) {
            List<ShareRow> slice = shares.subList(start, Math.min(shares.size(), start + ROWS_PER_INSERT));
            chain = chain.chain(() -> insertShares(attribution.id(), slice));
        }
        for (int start = 0; start < assets.size(); start += ROWS_PER_INSERT) {
            List<AssetRow> slice = assets.subList(start, Math.min(assets.size(), start + ROWS_PER_INSERT));
            chain = chain.chain(() -> insertAssets(attribution.id(), slice));
        }
        return chain;
    }

    private Uni<Void> insertShares(UUID attributionId, List<ShareRow> rows) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO attribution_share (attribution_id, contributor_id, role, share_ppm, value_ppt) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:a, :c").append(i).append(", :r").append(i).append(", :s")
                    .append(i).append(", :v").append(i).append(')');
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString()).setParameter("a", attributionId);
            for (int i = 0; i < rows.size(); i++) {
                query.setParameter("c" + i, rows.get(i).contributorId());
                query.setParameter("r" + i, rows.get(i).role());
                query.setParameter("s" + i, rows.get(i).sharePpm());
                query.setParameter("v" + i, rows.get(i).valuePpt());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private Uni<Void> insertAssets(UUID attributionId, List<AssetRow> rows) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO attribution_asset (attribution_id, asset_id, role, asset_kind, value_ppt) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:a, :x").append(i).append(", :r").append(i).append(", :k")
                    .append(i).append(", :v").append(i).append(')');
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString()).setParameter("a", attributionId);
            for (int i = 0; i < rows.size(); i++) {
                query.setParameter("x" + i, rows.get(i).assetId());
                query.setParameter("r" + i, rows.get(i).role());
                query.setParameter("k" + i, rows.get(i).assetKind());
                query.setParameter("v" + i, rows.get(i).valuePpt());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }
}
