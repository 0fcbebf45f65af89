package io.tribute.attribution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** SQL of stored attributions (append-only rows). */
@ApplicationScoped
public class AttributionRepository {

    private static final int ROWS_PER_INSERT = 1_000;
    /** Attributions per INSERT statement (12 parameters each; records may be large). */
    private static final int ATTRIBUTIONS_PER_INSERT = 100;

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

    /** The attribution ids of those output hashes that are attributed already, by output hash. */
    public Uni<Map<String, UUID>> findIdsByOutputs(List<String> outputSha256s) {
        if (outputSha256s.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String sql = "SELECT output_sha256, attribution_id FROM attribution WHERE output_sha256 IN ("
                + placeholders("s", outputSha256s.size()) + ")";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < outputSha256s.size(); i++) {
                query.setParameter("s" + i, outputSha256s.get(i));
            }
            return query.getResultList();
        }).map(rows -> {
            Map<String, UUID> found = new HashMap<>();
            rows.forEach(row -> found.put((String) row[0], (UUID) row[1]));
            return found;
        });
    }

    /** The idempotency rows (rpc, request digest, response) of those request ids that are claimed, by id. */
    public Uni<Map<String, Object[]>> findRequests(List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String sql = "SELECT request_id, rpc, request_sha256, response FROM idempotent_request WHERE request_id IN ("
                + placeholders("i", requestIds.size()) + ")";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < requestIds.size(); i++) {
                query.setParameter("i" + i, requestIds.get(i));
            }
            return query.getResultList();
        }).map(rows -> {
            Map<String, Object[]> found = new HashMap<>();
            rows.forEach(row -> found.put((String) row[0], new Object[] {row[1], row[2], row[3]}));
            return found;
        });
    }

    /** A request id to claim for one rpc, with the digest of its request. */
    public record Claim(String requestId, byte[] requestSha256) {
    }

    /**
     * Claims request ids (AIP-155) in one statement and returns those this transaction claimed; an id claimed
     * by another transaction meanwhile is left to it (the insert waits for that transaction to end).
     */
    public Uni<Set<String>> claim(String rpc, List<Claim> claims) {
        if (claims.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        StringBuilder sql = new StringBuilder("INSERT INTO idempotent_request (request_id, rpc, request_sha256) VALUES ");
        for (int i = 0; i < claims.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:i").append(i).append(", :rpc, :h").append(i).append(')');
        }
        sql.append(" ON CONFLICT (request_id) DO NOTHING RETURNING request_id");
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), String.class).setParameter("rpc", rpc);
            for (int i = 0; i < claims.size(); i++) {
                query.setParameter("i" + i, claims.get(i).requestId());
                query.setParameter("h" + i, claims.get(i).requestSha256());
            }
            return query.getResultList();
        }).map(Set::copyOf);
    }

    /** Stores the responses of claimed request ids (by id), in one statement per chunk. */
    public Uni<Void> remember(Map<String, byte[]> responses) {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(responses.entrySet());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int start = 0; start < entries.size(); start += ROWS_PER_INSERT) {
            List<Map.Entry<String, byte[]>> slice = entries.subList(start,
                    Math.min(entries.size(), start + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder("UPDATE idempotent_request r SET response = v.response FROM (VALUES ");
            for (int i = 0; i < slice.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(CAST(:i").append(i).append(" AS text), CAST(:r").append(i)
                        .append(" AS bytea))");
            }
            sql.append(") AS v (request_id, response) WHERE r.request_id = v.request_id");
            chain = chain.chain(() -> Panache.getSession().chain(session -> {
                var query = session.createNativeQuery(sql.toString());
                for (int i = 0; i < slice.size(); i++) {
                    query.setParameter("i" + i, slice.get(i).getKey());
                    query.setParameter("r" + i, slice.get(i).getValue());
                }
                return query.executeUpdate();
            }).replaceWithVoid());
        }
        return chain;
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

    /** An attribution with its share and asset rows. */
    public record NewAttributionRows(NewAttribution attribution, List<ShareRow> shares, List<AssetRow> assets) {
    }

    /** Inserts attributions and their rows with multi-row statements (a few per batch, not per attribution). */
    public Uni<Void> insertAll(List<NewAttributionRows> rows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int start = 0; start < rows.size(); start += ATTRIBUTIONS_PER_INSERT) {
            List<NewAttribution> slice = rows.subList(start, Math.min(rows.size(), start + ATTRIBUTIONS_PER_INSERT))
                    .stream().map(NewAttributionRows::attribution).toList();
            chain = chain.chain(() -> insertAttributions(slice));
        }
        List<Map.Entry<UUID, ShareRow>> shares = new ArrayList<>();
        List<Map.Entry<UUID, AssetRow>> assets = new ArrayList<>();
        for (NewAttributionRows row : rows) {
            row.shares().forEach(share -> shares.add(Map.entry(row.attribution().id(), share)));
            row.assets().forEach(asset -> assets.add(Map.entry(row.attribution().id(), asset)));
        }
        for (int start = 0; start < shares.size(); start += ROWS_PER_INSERT) {
            List<Map.Entry<UUID, ShareRow>> slice = shares.subList(start, Math.min(shares.size(), start + ROWS_PER_INSERT));
            chain = chain.chain(() -> insertShares(slice));
        }
        for (int start = 0; start < assets.size(); start += ROWS_PER_INSERT) {
            List<Map.Entry<UUID, AssetRow>> slice = assets.subList(start, Math.min(assets.size(), start + ROWS_PER_INSERT));
            chain = chain.chain(() -> insertAssets(slice));
        }
        return chain;
    }

    private Uni<Void> insertAttributions(List<NewAttribution> rows) {
        StringBuilder sql = new StringBuilder("""
                INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                    policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs)
                VALUES\s""");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id#, :sha#, :ref#, :producedAt#, :policyId#, :policyVersion#, "
                    .replace("#", Integer.toString(i))).append(":hash#, :logIndex#, :createdAt#, :record#, :evidence#, :inputs#)"
                    .replace("#", Integer.toString(i)));
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            for (int i = 0; i < rows.size(); i++) {
                NewAttribution attribution = rows.get(i);
                query.setParameter("id" + i, attribution.id())
                        .setParameter("sha" + i, attribution.outputSha256())
                        .setParameter("ref" + i, attribution.platformRef())
                        .setParameter("producedAt" + i, attribution.producedAt())
                        .setParameter("policyId" + i, attribution.policyId())
                        .setParameter("policyVersion" + i, attribution.policyVersion())
                        .setParameter("hash" + i, attribution.attributionHash())
                        .setParameter("logIndex" + i, attribution.logIndex())
                        .setParameter("createdAt" + i, attribution.createdAt())
                        .setParameter("record" + i, attribution.record())
                        .setParameter("evidence" + i, attribution.evidence() == null ? new byte[0] : attribution.evidence())
                        .setParameter("inputs" + i, attribution.canonicalInputs());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private Uni<Void> insertShares(List<Map.Entry<UUID, ShareRow>> rows) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO attribution_share (attribution_id, contributor_id, role, share_ppm, value_ppt) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:a").append(i).append(", :c").append(i).append(", :r").append(i).append(", :s")
                    .append(i).append(", :v").append(i).append(')');
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            for (int i = 0; i < rows.size(); i++) {
                query.setParameter("a" + i, rows.get(i).getKey());
                query.setParameter("c" + i, rows.get(i).getValue().contributorId());
                query.setParameter("r" + i, rows.get(i).getValue().role());
                query.setParameter("s" + i, rows.get(i).getValue().sharePpm());
                query.setParameter("v" + i, rows.get(i).getValue().valuePpt());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private Uni<Void> insertAssets(List<Map.Entry<UUID, AssetRow>> rows) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO attribution_asset (attribution_id, asset_id, role, asset_kind, value_ppt) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:a").append(i).append(", :x").append(i).append(", :r").append(i).append(", :k")
                    .append(i).append(", :v").append(i).append(')');
        }
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString());
            for (int i = 0; i < rows.size(); i++) {
                query.setParameter("a" + i, rows.get(i).getKey());
                query.setParameter("x" + i, rows.get(i).getValue().assetId());
                query.setParameter("r" + i, rows.get(i).getValue().role());
                query.setParameter("k" + i, rows.get(i).getValue().assetKind());
                query.setParameter("v" + i, rows.get(i).getValue().valuePpt());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private static String placeholders(String prefix, int count) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < count; i++) {
            list.append(i == 0 ? "" : ", ").append(':').append(prefix).append(i);
        }
        return list.toString();
    }
}
