package io.tribute.attribution.repository;

import com.google.protobuf.CodedOutputStream;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * One attribution as inserted; its canonical inputs without the lineage's node forms, which go back at
     * {@code lineageNodesAt} from the lineage_node rows of {@code lineageNodeIds}.
     */
    public record NewAttribution(UUID id, String outputSha256, String platformRef, OffsetDateTime producedAt,
            UUID policyId, int policyVersion, String attributionHash, long logIndex, OffsetDateTime createdAt,
            byte[] record, byte[] evidence, byte[] canonicalInputs, int lineageNodesAt, List<UUID> lineageNodeIds) {
    }

    /** A contributor's share and the part that came through one role. */
    public record ShareRow(UUID contributorId, short role, int sharePpm, long valuePpt) {
    }

    /** The value that reached an asset through one role (0 for assets only passed through). */
    public record AssetRow(UUID assetId, short role, short assetKind, long valuePpt) {
    }

    /** A request id to claim for one rpc, with the digest of its request and the attribution that answers it. */
    public record Claim(String requestId, byte[] requestSha256, UUID attributionId) {
    }

    /** An attribution with its share and asset rows (stored as the arrays of its attribution_detail row). */
    public record NewAttributionRows(NewAttribution attribution, List<ShareRow> shares, List<AssetRow> assets) {
    }

    private static final String FIND_REQUESTS = """
            SELECT r.request_id, r.rpc, r.request_sha256, r.response, a.record FROM idempotent_request r
            LEFT JOIN attribution a ON a.attribution_id = r.attribution_id
            WHERE r.request_id = ANY($1::text[])""";
    private static final String FIND_OUTPUTS = """
            SELECT output_sha256, attribution_id FROM attribution WHERE output_sha256 = ANY($1::text[])""";
    /**
     * A claim is written complete: its response is its attribution's record (an empty response names it), which
     * the same transaction inserts next (the foreign key is checked at commit).
     */
    private static final String CLAIM = """
            INSERT INTO idempotent_request (request_id, rpc, request_sha256, response, attribution_id)
            SELECT u.request_id, $2, u.digest, '\\x'::bytea, u.attribution_id
            FROM unnest($1::text[], $3::bytea[], $4::uuid[]) AS u (request_id, digest, attribution_id)
            ON CONFLICT (request_id) DO NOTHING RETURNING request_id""";
    /** The lineage node ids of all attributions are sent flat; each row takes its slice ($14, $15: 1-based). */
    private static final String INSERT_ATTRIBUTIONS = """
            INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs,
                lineage_nodes_at, lineage_node_ids)
            SELECT a.id, a.output, a.ref, a.produced_at, a.policy_id, a.policy_version, a.hash, a.log_index,
                a.created_at, a.record, a.evidence, a.inputs, a.nodes_at, ($16::uuid[])[a.nodes_from:a.nodes_to]
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::integer[],
                $7::text[], $8::bigint[], $9::timestamptz[], $10::bytea[], $11::bytea[], $12::bytea[],
                $13::integer[], $14::integer[], $15::integer[])
                AS a (id, output, ref, produced_at, policy_id, policy_version, hash, log_index, created_at, record,
                    evidence, inputs, nodes_at, nodes_from, nodes_to)""";
    /**
     * A node stored already (by another writer, or forgotten by this one) is skipped when its form is the same.
     * A different form becomes an UPDATE, which the table refuses: assets never change, so it would mean the
     * registry answered two different nodes for one asset, and no attribution may be stored on that.
     */
    static final String INSERT_LINEAGE_NODES = """
            INSERT INTO lineage_node (asset_id, form) SELECT * FROM unnest($1::uuid[], $2::text[])
            ON CONFLICT (asset_id) DO UPDATE SET form = excluded.form WHERE lineage_node.form <> excluded.form""";
    /**
     * One attribution_detail row per attribution: the share and asset arrays of all of them are sent flat and
     * each row takes its slice ($2..$5 are 1-based bounds; an empty slice is an empty array).
     */
    private static final String INSERT_DETAILS = """
            INSERT INTO attribution_detail (attribution_id, share_contributor_ids, share_roles, share_ppm,
                share_value_ppt, asset_ids, asset_roles, asset_kinds, asset_value_ppt)
            SELECT o.id,
                ($6::uuid[])[o.s_from:o.s_to], ($7::smallint[])[o.s_from:o.s_to],
                ($8::integer[])[o.s_from:o.s_to], ($9::bigint[])[o.s_from:o.s_to],
                ($10::uuid[])[o.a_from:o.a_to], ($11::smallint[])[o.a_from:o.a_to],
                ($12::smallint[])[o.a_from:o.a_to], ($13::bigint[])[o.a_from:o.a_to]
            FROM unnest($1::uuid[], $2::integer[], $3::integer[], $4::integer[], $5::integer[])
                AS o (id, s_from, s_to, a_from, a_to)""";

    /**
     * The idempotency rows (rpc, request digest, response) of those request ids that are claimed, by id; on
     * the writer's connection or, for a pre-check outside any transaction, on the pool. A response stored as
     * a reference is the AttributeOutputResponse of the attribution's record.
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
                        var record = row.getBuffer("record");
                        found.put(row.getString("request_id"), new Object[] {row.getString("rpc"),
                                row.getBuffer("request_sha256").getBytes(), record != null
                                        ? attributionResponse(record.getBytes())
                                        : response == null ? null : response.getBytes()});
                    }
                    return found;
                });
    }

    /** AttributeOutputResponse {attribution = record}, encoded without parsing the record (a bytes field). */
    static byte[] attributionResponse(byte[] record) {
        int field = AttributeOutputResponse.ATTRIBUTION_FIELD_NUMBER;
        byte[] response = new byte[CodedOutputStream.computeByteArraySize(field, record)];
        CodedOutputStream output = CodedOutputStream.newInstance(response);
        try {
            output.writeByteArray(field, record);
            output.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response;
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
        UUID[] attributionIds = claims.stream().map(Claim::attributionId).toArray(UUID[]::new);
        return connection.preparedQuery(CLAIM).execute(Tuple.of(ids, rpc, digests, attributionIds)).map(rows -> {
            Set<String> won = new HashSet<>();
            rows.forEach(row -> won.add(row.getString("request_id")));
            return won;
        });
    }

    /**
     * Inserts attributions, their detail rows and the lineage nodes not stored yet: three statements sent
     * together (the rows' count changes the arrays, never the statements).
     */
    public Uni<Void> insertAll(SqlConnection connection, List<NewAttributionRows> rows, Map<UUID, String> newNodes) {
        return Uni.combine().all().unis(
                        connection.preparedQuery(INSERT_LINEAGE_NODES).execute(Tuple.of(
                                newNodes.keySet().toArray(UUID[]::new), newNodes.values().toArray(String[]::new))),
                        connection.preparedQuery(INSERT_ATTRIBUTIONS).execute(attributions(rows)),
                        connection.preparedQuery(INSERT_DETAILS).execute(details(rows)))
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
        Integer[] nodesAt = new Integer[n];
        Integer[] nodesFrom = new Integer[n];
        Integer[] nodesTo = new Integer[n];
        List<UUID> nodeIds = new ArrayList<>();
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
            nodesAt[i] = a.lineageNodesAt();
            nodesFrom[i] = nodeIds.size() + 1;
            nodeIds.addAll(a.lineageNodeIds());
            nodesTo[i] = nodeIds.size();
        }
        return Tuple.tuple(List.of(ids, outputs, refs, producedAt, policyIds, policyVersions, hashes, logIndexes,
                createdAt, records, evidence, inputs, nodesAt, nodesFrom, nodesTo, nodeIds.toArray(UUID[]::new)));
    }

    private static Tuple details(List<NewAttributionRows> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        Integer[] shareFrom = new Integer[n];
        Integer[] shareTo = new Integer[n];
        Integer[] assetFrom = new Integer[n];
        Integer[] assetTo = new Integer[n];
        List<ShareRow> shares = new ArrayList<>();
        List<AssetRow> assets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NewAttributionRows row = rows.get(i);
            ids[i] = row.attribution().id();
            shareFrom[i] = shares.size() + 1;
            shares.addAll(row.shares());
            shareTo[i] = shares.size();
            assetFrom[i] = assets.size() + 1;
            assets.addAll(row.assets());
            assetTo[i] = assets.size();
        }
        UUID[] contributors = new UUID[shares.size()];
        Short[] shareRoles = new Short[shares.size()];
        Integer[] sharePpm = new Integer[shares.size()];
        Long[] shareValues = new Long[shares.size()];
        for (int i = 0; i < shares.size(); i++) {
            ShareRow share = shares.get(i);
            contributors[i] = share.contributorId();
            shareRoles[i] = share.role();
            sharePpm[i] = share.sharePpm();
            shareValues[i] = share.valuePpt();
        }
        UUID[] assetIds = new UUID[assets.size()];
        Short[] assetRoles = new Short[assets.size()];
        Short[] assetKinds = new Short[assets.size()];
        Long[] assetValues = new Long[assets.size()];
        for (int i = 0; i < assets.size(); i++) {
            AssetRow asset = assets.get(i);
            assetIds[i] = asset.assetId();
            assetRoles[i] = asset.role();
            assetKinds[i] = asset.assetKind();
            assetValues[i] = asset.valuePpt();
        }
        return Tuple.tuple(List.of(ids, shareFrom, shareTo, assetFrom, assetTo, contributors, shareRoles, sharePpm,
                shareValues, assetIds, assetRoles, assetKinds, assetValues));
    }
}
