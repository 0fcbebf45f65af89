package io.tribute.registry.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.registry.service.ManifestKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stores signed manifests, the signing keys' public parts, and reads the creators' payout accounts at registration. */
@ApplicationScoped
public class ManifestRepository {

    private static final String ACTIVATE_KEY = """
            INSERT INTO signing_key (key_id, public_key, activated_at) VALUES ($1, $2, $3)
            ON CONFLICT (key_id) DO UPDATE SET retired_at = NULL WHERE signing_key.retired_at IS NOT NULL""";
    private static final String RETIRE_OTHER_KEYS = """
            UPDATE signing_key SET retired_at = $2 WHERE key_id <> $1 AND retired_at IS NULL""";
    private static final String IMPORT_RETIRED_KEY = """
            INSERT INTO signing_key (key_id, public_key, activated_at, retired_at) VALUES ($1, $2, $3, $3)
            ON CONFLICT (key_id) DO NOTHING""";
    private static final String KEYS = """
            SELECT key_id, public_key, activated_at, retired_at FROM signing_key
             ORDER BY retired_at IS NOT NULL, activated_at DESC, key_id""";
    private static final String KEY = "SELECT public_key FROM signing_key WHERE key_id = $1";
    private static final String MANIFEST = """
            SELECT asset_id, key_id, payload_json, jws, signed_at FROM manifest WHERE asset_id = $1""";
    private static final String INSERT_MANIFEST = """
            INSERT INTO manifest (asset_id, key_id, payload_json, jws, signed_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (asset_id) DO NOTHING""";
    private static final String CREATOR_ACCOUNTS = """
            SELECT contributor_id, payout_account FROM asset_creator WHERE asset_id = $1""";

    /** A stored manifest. */
    public record StoredManifest(UUID assetId, String keyId, String payloadJson, String jws, OffsetDateTime signedAt) {
    }

    /** A signing key as published. */
    public record StoredKey(String keyId, byte[] publicKey, OffsetDateTime activatedAt, OffsetDateTime retiredAt) {
    }

    /** Records {@code active} as the one active key (retiring any other) and {@code retired} as retired keys. */
    public Uni<Void> registerKeys(SqlClient db, ManifestKeys.PublicKey active, List<ManifestKeys.PublicKey> retired,
            OffsetDateTime now) {
        Uni<?> chain = db.preparedQuery(ACTIVATE_KEY)
                .execute(Tuple.of(active.keyId(), Buffer.buffer(active.publicKey()), now))
                .chain(() -> db.preparedQuery(RETIRE_OTHER_KEYS).execute(Tuple.of(active.keyId(), now)));
        for (ManifestKeys.PublicKey key : retired) {
            if (!key.keyId().equals(active.keyId())) {
                chain = chain.chain(() -> db.preparedQuery(IMPORT_RETIRED_KEY)
                        .execute(Tuple.of(key.keyId(), Buffer.buffer(key.publicKey()), now)));
            }
        }
        return chain.replaceWithVoid();
    }

    /** Every key, the active one first, then retired keys by activation time, newest first. */
    public Uni<List<StoredKey>> keys(SqlClient db) {
        return db.query(KEYS).execute().map(rows -> {
            List<StoredKey> keys = new ArrayList<>();
            for (Row row : rows) {
                keys.add(new StoredKey(row.getString("key_id"), row.getBuffer("public_key").getBytes(),
                        row.getOffsetDateTime("activated_at"), row.getOffsetDateTime("retired_at")));
            }
            return keys;
        });
    }

    /** The public key with this kid, or null. */
    public Uni<byte[]> publicKey(SqlClient db, String keyId) {
        return db.preparedQuery(KEY).execute(Tuple.of(keyId)).map(rows -> rows.iterator().hasNext()
                ? rows.iterator().next().getBuffer("public_key").getBytes() : null);
    }

    /** The asset's manifest, or null if none was issued yet. */
    public Uni<StoredManifest> find(SqlClient db, UUID assetId) {
        return db.preparedQuery(MANIFEST).execute(Tuple.of(assetId)).map(ManifestRepository::first);
    }

    /** Stores the manifest unless the asset already has one (the first one stays). */
    public Uni<Void> insertIfAbsent(SqlClient db, StoredManifest manifest) {
        return db.preparedQuery(INSERT_MANIFEST).execute(Tuple.from(List.of(manifest.assetId(), manifest.keyId(),
                manifest.payloadJson(), manifest.jws(), manifest.signedAt()))).replaceWithVoid();
    }

    /** The payout account (null when none was bound) each creator had when the asset was registered. */
    public Uni<Map<String, String>> creatorAccounts(SqlClient db, UUID assetId) {
        return db.preparedQuery(CREATOR_ACCOUNTS).execute(Tuple.of(assetId)).map(rows -> {
            Map<String, String> accounts = new HashMap<>();
            for (Row row : rows) {
                accounts.put(row.getUUID("contributor_id").toString(), row.getString("payout_account"));
            }
            return accounts;
        });
    }

    private static StoredManifest first(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row row = rows.iterator().next();
        return new StoredManifest(row.getUUID("asset_id"), row.getString("key_id"), row.getString("payload_json"),
                row.getString("jws"), row.getOffsetDateTime("signed_at"));
    }
}
