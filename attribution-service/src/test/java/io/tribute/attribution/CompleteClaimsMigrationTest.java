package io.tribute.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribute.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration V5: a request's claim may name its attribution before the attribution is inserted in the same
 * transaction, and the reference is still enforced, at commit.
 */
class CompleteClaimsMigrationTest {

    private static final String CLAIM = """
            INSERT INTO idempotent_request (request_id, rpc, request_sha256, response, attribution_id)
            VALUES ('%s', 'AttributeOutput', '\\x00', '\\x', '%s')""";
    private static PostgresDatabase database;

    @BeforeAll
    static void migrate() {
        database = Migrations.migratedDatabase("v5_migration");
    }

    @Test
    void aClaimNamingItsAttributionCommitsOnceTheAttributionIsInsertedAfterIt() throws SQLException {
        String attribution = "00000000-0000-7000-8000-00000000a501";
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            sql.setAutoCommit(false);
            statement.execute(CLAIM.formatted("claimed-first", attribution));
            statement.execute("INSERT INTO log_leaf (leaf_index, leaf_data) VALUES (0, sha256('x'))");
            statement.execute("""
                    INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                        policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs)
                    VALUES ('%s', 'out', 'ref', now(), '%s', 1, 'hash', 0, now(), '\\x', NULL, '\\x')"""
                    .formatted(attribution, PolicyVersion.DEFAULT_POLICY_ID));
            sql.commit();
            try (ResultSet row = statement.executeQuery(
                    "SELECT attribution_id::text FROM idempotent_request WHERE request_id = 'claimed-first'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(attribution);
            }
        }
    }

    @Test
    void aClaimNamingNoStoredAttributionIsRefusedAtCommit() throws SQLException {
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            sql.setAutoCommit(false);
            statement.execute(CLAIM.formatted("dangling", "00000000-0000-7000-8000-00000000a502"));
            assertThatThrownBy(sql::commit).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23503");
        }
        try (Connection sql = database.connect(); Statement statement = sql.createStatement();
                ResultSet count = statement.executeQuery(
                        "SELECT count(*) FROM idempotent_request WHERE request_id = 'dangling'")) {
            count.next();
            assertThat(count.getInt(1)).isZero();
        }
    }
}
