package io.tribute.registry.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.registry.mapping.AssetMapper;
import io.tribute.registry.v1.Asset;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of assets, their creators and parents, on the reactive PostgreSQL client (multi-row statements). */
@ApplicationScoped
public class AssetRepository {

    /** An asset with its creators and parents in one row (see AssetMapper). */
    public static final String ASSET_COLUMNS = """
            a.id, a.kind, encode(a.sha256, 'hex') AS sha256_hex, a.size_bytes, a.media_type, a.uri, a.license,
            a.display_name, a.attributes::text AS attributes_json, a.item_count, a.registered_at,
            (SELECT string_agg(c.contributor_id::text || ':' || c.share_ppm, ',' ORDER BY c.contributor_id)
               FROM asset_creator c WHERE c.asset_id = a.id) AS creators,
            (SELECT string_agg(p.parent_id::text || ':' || p.edge_type || ':' || p.weight_ppm || ':'
                    || encode(pa.sha256, 'hex') || ':' || pa.kind, ',' ORDER BY p.parent_id, p.edge_type)
               FROM asset_parent p JOIN asset pa ON pa.id = p.parent_id WHERE p.child_id = a.id) AS parents""";

    /*
     * The keys come through ARRAY(SELECT unnest($1)), not as the array $1 itself: PostgreSQL then estimates every
     * call alike and keeps one generic plan. With the bare array it sees each call's key count and, below about
     * ten keys (the usual coalesced batch), plans the statement anew every time: 0.2-0.4 ms, more than the read.
     */
    private static final String BY_IDS = "SELECT " + ASSET_COLUMNS
            + " FROM asset a WHERE a.id = ANY(ARRAY(SELECT unnest($1::uuid[])))";
    private static final String BY_SHAS = "SELECT " + ASSET_COLUMNS
            + " FROM asset a WHERE a.sha256 = ANY(ARRAY(SELECT unnest($1::bytea[])))";
    private static final String PAGE = "SELECT " + ASSET_COLUMNS + """
             FROM asset a
            WHERE a.id > $1 AND ($2 = 0 OR a.kind = $2)
              AND ($3::uuid IS NULL OR EXISTS
                   (SELECT 1 FROM asset_creator f WHERE f.asset_id = a.id AND f.contributor_id = $3))
            ORDER BY a.id LIMIT $4""";
    private static final String PAGE_BY_CREATOR = "SELECT " + ASSET_COLUMNS + """
             FROM asset_creator f JOIN asset a ON a.id = f.asset_id
            WHERE f.contributor_id = $3 AND f.asset_id > $1 AND ($2 = 0 OR a.kind = $2)
            ORDER BY f.asset_id LIMIT $4""";
    private static final String CONTRIBUTORS = """
            SELECT id, payout_account FROM contributor WHERE id = ANY($1::uuid[])""";
    /*
     * The claims and assets are plain INSERTs, not ON CONFLICT DO NOTHING: a conflict is the rare case (a stored
     * key that the batch did not look up, or a concurrent transaction that won a race), on which the caller rolls
     * back and registers the batch again (isUniqueViolation). ON CONFLICT cost every row a speculative insertion
     * (an extra index probe and an extra WAL record): about a third of each INSERT (bench/RESULTS.md).
     */
    private static final String INSERT_ASSETS = """
            INSERT INTO asset (id, kind, sha256, size_bytes, media_type, uri, license, display_name, attributes,
                               item_count, registered_at)
            SELECT t.id, t.kind, t.sha256, t.size_bytes, t.media_type, t.uri, t.license, t.display_name,
                   t.attributes::jsonb, t.item_count, $11
              FROM unnest($1::uuid[], $2::smallint[], $3::bytea[], $4::bigint[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[], $10::bigint[])
                   AS t(id, kind, sha256, size_bytes, media_type, uri, license, display_name, attributes, item_count)""";
    private static final String INSERT_CREATORS = """
            INSERT INTO asset_creator (asset_id, contributor_id, share_ppm, payout_account)
            SELECT t.asset_id, t.contributor_id, t.share_ppm, c.payout_account
              FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS t(asset_id, contributor_id, share_ppm)
              JOIN contributor c ON c.id = t.contributor_id""";
    private static final String INSERT_PARENTS = """
            INSERT INTO asset_parent (child_id, parent_id, edge_type, weight_ppm)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::int[])""";
    private static final String CLAIM = """
            INSERT INTO idempotent_request (request_id, rpc, request_sha256, response)
            SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[])""";
    private static final String FIND_CLAIMS = """
            SELECT request_id, rpc, request_sha256, response FROM idempotent_request
             WHERE request_id = ANY($1::text[])""";
    private static final String NO_ATTRIBUTES = "{}";
    /** SQLSTATE unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** Whether {@code failure} is a unique violation: one of the keys is stored, or a concurrent insert won. */
    public static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof DatabaseException database && UNIQUE_VIOLATION.equals(database.getSqlState());
    }

    /** Assets by id, with creators and parents; missing ids are absent from the map. */
    public Uni<Map<UUID, Asset>> findByIds(SqlClient db, UUID[] ids) {
        return db.preparedQuery(BY_IDS).execute(Tuple.of(ids)).map(rows -> {
            Map<UUID, Asset> found = new HashMap<>();
            for (Row row : rows) {
                found.put(row.getUUID("id"), AssetMapper.fromRow(row));
            }
            return found;
        });
    }

    /** Assets by content hash (hex keys), with creators and parents. */
    public Uni<Map<String, Asset>> findByShas(SqlClient db, List<byte[]> shas) {
        Buffer[] keys = shas.stream().map(Buffer::buffer).toArray(Buffer[]::new);
        return db.preparedQuery(BY_SHAS).execute(Tuple.of(keys)).map(rows -> {
            Map<String, Asset> found = new HashMap<>();
            for (Row row : rows) {
                Asset asset = AssetMapper.fromRow(row);
                found.put(asset.getSha256(), asset);
            }
            return found;
        });
    }

    /** One page of assets ordered by id after {@code after}, optionally of one kind and/or one creator. */
    public Uni<List<Asset>> page(SqlClient db, UUID after, int kind, UUID creator, int limit) {
        String sql = creator == null ? PAGE : PAGE_BY_CREATOR;
        return db.preparedQuery(sql).execute(Tuple.of(after, kind, creator, limit)).map(AssetRepository::assets);
    }

    /** The payout account (null when unbound) of each existing contributor among {@code ids}. */
    public Uni<Map<UUID, String>> contributors(SqlClient db, UUID[] ids) {
        return db.preparedQuery(CONTRIBUTORS).execute(Tuple.of(ids)).map(rows -> {
            Map<UUID, String> found = new HashMap<>();
            for (Row row : rows) {
                found.put(row.getUUID("id"), row.getString("payout_account"));
            }
            return found;
        });
    }

    /** Inserts assets; fails with a unique violation (see isUniqueViolation) when one of their content hashes exists. */
    public Uni<Void> insertAssets(SqlClient db, List<NewAsset> assets, java.time.OffsetDateTime registeredAt) {
        int n = assets.size();
        UUID[] ids = new UUID[n];
        Short[] kinds = new Short[n];
        Buffer[] shas = new Buffer[n];
        Long[] sizes = new Long[n];
        String[] mediaTypes = new String[n];
        String[] uris = new String[n];
        String[] licenses = new String[n];
        String[] names = new String[n];
        String[] attributes = new String[n];
        Long[] itemCounts = new Long[n];
        for (int i = 0; i < n; i++) {
            NewAsset asset = assets.get(i);
            ids[i] = asset.id();
            kinds[i] = (short) asset.asset().getKindValue();
            shas[i] = Buffer.buffer(asset.sha256());
            sizes[i] = asset.asset().getSizeBytes();
            mediaTypes[i] = asset.asset().getMediaType();
            uris[i] = asset.asset().getUri();
            licenses[i] = asset.asset().getLicense();
            names[i] = asset.asset().getDisplayName();
            attributes[i] = asset.asset().getAttributesCount() == 0 ? NO_ATTRIBUTES
                    : new io.vertx.core.json.JsonObject(new HashMap<>(asset.asset().getAttributesMap())).encode();
            itemCounts[i] = asset.asset().getItemCount();
        }
        Tuple tuple = Tuple.tuple(List.of(ids, kinds, shas, sizes, mediaTypes, uris, licenses, names, attributes,
                itemCounts, registeredAt));
        return db.preparedQuery(INSERT_ASSETS).execute(tuple).replaceWithVoid();
    }

    /** Inserts the creators of new assets, each with the payout account its contributor has now. */
    public Uni<Void> insertCreators(SqlClient db, List<NewAsset> assets) {
        List<UUID> assetIds = new ArrayList<>();
        List<UUID> contributorIds = new ArrayList<>();
        List<Integer> shares = new ArrayList<>();
        for (NewAsset asset : assets) {
            asset.asset().getCreatorsList().forEach(creator -> {
                assetIds.add(asset.id());
                contributorIds.add(UUID.fromString(creator.getContributorId()));
                shares.add(creator.getSharePpm());
            });
        }
        return db.preparedQuery(INSERT_CREATORS).execute(Tuple.of(assetIds.toArray(UUID[]::new),
                contributorIds.toArray(UUID[]::new), shares.toArray(Integer[]::new))).replaceWithVoid();
    }

    /** Inserts the declared parents of new assets. */
    public Uni<Void> insertParents(SqlClient db, List<NewAsset> assets) {
        List<UUID> children = new ArrayList<>();
        List<UUID> parents = new ArrayList<>();
        List<Short> edges = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (NewAsset asset : assets) {
            asset.asset().getParentsList().forEach(parent -> {
                children.add(asset.id());
                parents.add(UUID.fromString(parent.getParentAssetId()));
                edges.add((short) parent.getEdgeTypeValue());
                weights.add(parent.getWeightPpm());
            });
        }
        if (children.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(INSERT_PARENTS).execute(Tuple.of(children.toArray(UUID[]::new),
                parents.toArray(UUID[]::new), edges.toArray(Short[]::new), weights.toArray(Integer[]::new)))
                .replaceWithVoid();
    }

    /**
     * Records request ids (AIP-155) with their first responses; fails with a unique violation (see
     * isUniqueViolation) when a concurrent transaction claimed one first.
     */
    public Uni<Void> claim(SqlClient db, String[] requestIds, String[] rpcs, byte[][] digests, byte[][] responses) {
        if (requestIds.length == 0) {
            return Uni.createFrom().voidItem();
        }
        Buffer[] hashes = java.util.Arrays.stream(digests).map(Buffer::buffer).toArray(Buffer[]::new);
        Buffer[] bodies = java.util.Arrays.stream(responses).map(Buffer::buffer).toArray(Buffer[]::new);
        return db.preparedQuery(CLAIM).execute(Tuple.of(requestIds, rpcs, hashes, bodies)).replaceWithVoid();
    }

    /** Stored claims as IdempotentRequests.replay expects them: {rpc, digest, response}. */
    public Uni<Map<String, Object[]>> findClaims(SqlClient db, String[] requestIds) {
        return db.preparedQuery(FIND_CLAIMS).execute(Tuple.of((Object) requestIds)).map(rows -> {
            Map<String, Object[]> found = new HashMap<>();
            for (Row row : rows) {
                var response = row.getBuffer("response");
                found.put(row.getString("request_id"), new Object[] {row.getString("rpc"),
                        row.getBuffer("request_sha256").getBytes(), response == null ? null : response.getBytes()});
            }
            return found;
        });
    }

    private static List<Asset> assets(RowSet<Row> rows) {
        List<Asset> assets = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> assets.add(AssetMapper.fromRow(row)));
        return assets;
    }

    /** An asset about to be inserted: its new id, raw content hash and wire form. */
    public record NewAsset(UUID id, byte[] sha256, Asset asset) {
    }
}
