package io.tribute.attribution.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * SQL of a batch of attributions on the writer's connection: one fixed statement per table with one array
 * per column (whatever the batch's size), so each is prepared once and a batch costs few round trips.
 */
@ApplicationScoped
public class AttributionBatchRepository {

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

    /** A request id to claim for one rpc, with the digest of its request. */
    public record Claim(String requestId, byte[] requestSha256) {
    }

    /** An attribution with its share and asset rows. */
    public record NewAttributionRows(NewAttribution attribution, List<ShareRow> shares, List<AssetRow> assets) {
    }

    private static final String FIND_REQUESTS = """
            SELECT request_id, rpc, request_sha256, response FROM idempotent_request
            WHERE request_id = ANY($1::text[])""";
    private static final String FIND_OUTPUTS = """
            SELECT output_sha256, attribution_id FROM attribution WHERE output_sha256 = ANY($1::text[])""";
    private static final String CLAIM = """
            INSERT INTO idempotent_request (request_id, rpc, request_sha256)
            SELECT u.request_id, $2, u.digest FROM unnest($1::text[], $3::bytea[]) AS u (request_id, digest)
            ON CONFLICT (request_id) DO NOTHING RETURNING request_id""";
    private static final String INSERT_ATTRIBUTIONS = """
            INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::integer[],
                $7::text[], $8::bigint[], $9::timestamptz[], $10::bytea[], $11::bytea[], $12::bytea[])""";
    private static final String INSERT_SHARES = """
            INSERT INTO attribution_share (attribution_id, contributor_id, role, share_ppm, value_ppt)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::integer[], $5::bigint[])""";
    private static final String INSERT_ASSETS = """
            INSERT INTO attribution_asset (attribution_id, asset_id, role, asset_kind, value_ppt)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::smallint[], $5::bigint[])""";
    private static final String REMEMBER = """
            UPDATE idempotent_request r SET response = u.response
            FROM unnest($1::text[], $2::bytea[]) AS u (request_id, response) WHERE r.request_id = u.request_id""";

    /**
     * The idempotency rows (rpc, request digest, response) of those request ids that are claimed, by id; on
     * the writer's connection or, for a pre-check outside any transaction, on the pool.
     */
    public Uni<Map<String, Object[]>> findRequests(SqlClient client, List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(FIND_REQUESTS).execute(Tuple.of(requestIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Object[]> found = new HashMap<>();
                    for (Row row : rows) {
                        var response = row.getBuffer("response");
                        found.put(row.getString("request_id"), new Object[] {row.getString("rpc"),
                                row.getBuffer("request_sha256").getBytes(), response == null ? null : response.getBytes()});
                    }
                    return found;
                });
    }

    /** The attribution ids of those output hashes that are attributed already, by output hash. */
    public Uni<Map<String, UUID>> findIdsByOutputs(SqlConnection connection, List<String> outputSha256s) {
        return connection.preparedQuery(FIND_OUTPUTS).execute(Tuple.of(outputSha256s.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, UUID> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString("output_sha256"), row.getUUID("attribution_id")));
                    return found;
                });
    }

    /**
     * Claims request ids (AIP-155) in one statement and returns those this transaction claimed; an id claimed
     * by another transaction meanwhile is left to it (the insert waits for that transaction to end).
     */
    public Uni<Set<String>> claim(SqlConnection connection, String rpc, List<Claim> claims) {
        if (claims.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] ids = claims.stream().map(Claim::requestId).toArray(String[]::new);
        Buffer[] digests = claims.stream().map(claim -> Buffer.buffer(claim.requestSha256())).toArray(Buffer[]::new);
        return connection.preparedQuery(CLAIM).execute(Tuple.of(ids, rpc, digests)).map(rows -> {
            Set<String> won = new HashSet<>();
            rows.forEach(row -> won.add(row.getString("request_id")));
            return won;
        });
    }

    /**
     * Inserts attributions, their share and asset rows, and the responses of their request ids: four
     * statements sent together (the rows' count changes the arrays, never the statements).
     */
    public Uni<Void> insertAll(SqlConnection connection, List<NewAttributionRows> rows, Map<String, byte[]> responses) {
        return Uni.combine().all().unis(
                        connection.preparedQuery(INSERT_ATTRIBUTIONS).execute(attributions(rows)),
                        connection.preparedQuery(INSERT_SHARES).execute(shares(rows)),
                        connection.preparedQuery(INSERT_ASSETS).execute(assets(rows)),
                        connection.preparedQuery(REMEMBER).execute(Tuple.of(
                                responses.keySet().toArray(String[]::new),
                                responses.values().stream().map(Buffer::buffer).toArray(Buffer[]::new))))
                .discardItems();
    }

    private static Tuple attributions(List<NewAttributionRows> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        String[] outputs = new String[n];
        String[] refs = new String[n];
        OffsetDateTime[] producedAt = new OffsetDateTime[n];
        UUID[] policyIds = new UUID[n];
        Integer[] policyVersions = new Integer[n];
        String[] hashes = new String[n];
        Long[] logIndexes = new Long[n];
        OffsetDateTime[] createdAt = new OffsetDateTime[n];
        Buffer[] records = new Buffer[n];
        Buffer[] evidence = new Buffer[n];
        Buffer[] inputs = new Buffer[n];
        for (int i = 0; i < n; i++) {
            NewAttribution a = rows.get(i).attribution();
            ids[i] = a.id();
            outputs[i] = a.outputSha256();
            refs[i] = a.platformRef();
            producedAt[i] = a.producedAt();
            policyIds[i] = a.policyId();
            policyVersions[i] = a.policyVersion();
            hashes[i] = a.attributionHash();
            logIndexes[i] = a.logIndex();
            createdAt[i] = a.createdAt();
            records[i] = Buffer.buffer(a.record());
            evidence[i] = Buffer.buffer(a.evidence() == null ? new byte[0] : a.evidence());
            inputs[i] = Buffer.buffer(a.canonicalInputs());
        }
        return Tuple.tuple(List.of(ids, outputs, refs, producedAt, policyIds, policyVersions, hashes, logIndexes,
                createdAt, records, evidence, inputs));
    }

    private static Tuple shares(List<NewAttributionRows> rows) {
        List<UUID> attributionIds = new ArrayList<>();
        List<ShareRow> shares = new ArrayList<>();
        for (NewAttributionRows row : rows) {
            row.shares().forEach(share -> {
                attributionIds.add(row.attribution().id());
                shares.add(share);
            });
        }
        return Tuple.of(attributionIds.toArray(UUID[]::new),
                shares.stream().map(ShareRow::contributorId).toArray(UUID[]::new),
                shares.stream().map(ShareRow::role).toArray(Short[]::new),
                shares.stream().map(ShareRow::sharePpm).toArray(Integer[]::new),
                shares.stream().map(ShareRow::valuePpt).toArray(Long[]::new));
    }

    private static Tuple assets(List<NewAttributionRows> rows) {
        List<UUID> attributionIds = new ArrayList<>();
        List<AssetRow> assets = new ArrayList<>();
        for (NewAttributionRows row : rows) {
            row.assets().forEach(asset -> {
                attributionIds.add(row.attribution().id());
                assets.add(asset);
            });
        }
        return Tuple.of(attributionIds.toArray(UUID[]::new),
                assets.stream().map(AssetRow::assetId).toArray(UUID[]::new),
                assets.stream().map(AssetRow::role).toArray(Short[]::new),
                assets.stream().map(AssetRow::assetKind).toArray(Short[]::new),
                assets.stream().map(AssetRow::valuePpt).toArray(Long[]::new));
    }
}
