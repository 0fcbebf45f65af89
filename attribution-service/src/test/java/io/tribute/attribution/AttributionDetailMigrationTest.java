package io.tribute.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribute.testing.EmbeddedPostgresServer;
import io.tribute.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Migration V4 on a database written by V3: the per-output share and asset rows become the arrays of one
 * attribution_detail row with the same values, the old tables are gone, and the new row is append-only.
 */
class AttributionDetailMigrationTest {

    private static final String ATTRIBUTION = "00000000-0000-7000-8000-00000000a001";
    private static final String ALICE = "00000000-0000-7000-8000-00000000c001";
    private static final String BOB = "00000000-0000-7000-8000-00000000c002";
    private static final String MODEL = "00000000-0000-7000-8000-00000000d001";
    private static final String ITEM = "00000000-0000-7000-8000-00000000d002";

    @Test
    void shareAndAssetRowsOfEarlierAttributionsBecomeTheirDetailArrays() throws SQLException {
        PostgresDatabase database = EmbeddedPostgresServer.shared().createDatabase("v4_migration");
        Migrations.migrate(database, "3");
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            statement.execute("INSERT INTO log_leaf (leaf_index, leaf_data) VALUES (0, sha256('x'))");
            statement.execute("""
                    INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                        policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs)
                    VALUES ('%s', 'out', 'ref', now(), '%s', 1, 'hash', 0, now(), '\\x', NULL, '\\x')"""
                    .formatted(ATTRIBUTION, PolicyVersion.DEFAULT_POLICY_ID));
            statement.execute("""
                    INSERT INTO attribution_share VALUES ('%1$s', '%3$s', 3, 400000, 400000000000),
                        ('%1$s', '%2$s', 1, 600000, 500000000000), ('%1$s', '%2$s', 3, 600000, 100000000000)"""
                    .formatted(ATTRIBUTION, ALICE, BOB));
            statement.execute("""
                    INSERT INTO attribution_asset VALUES ('%1$s', '%3$s', 1, 5, 0),
                        ('%1$s', '%2$s', 1, 4, 500000000000)""".formatted(ATTRIBUTION, MODEL, ITEM));
        }

        Migrations.migrate(database, "latest");

        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            try (ResultSet row = statement.executeQuery("""
                    SELECT share_contributor_ids::text[], share_roles, share_ppm, share_value_ppt, asset_ids::text[],
                           asset_roles, asset_kinds, asset_value_ppt
                    FROM attribution_detail WHERE attribution_id = '%s'""".formatted(ATTRIBUTION))) {
                assertThat(row.next()).isTrue();
                assertThat(array(row, 1)).containsExactly(ALICE, ALICE, BOB);
                assertThat(array(row, 2)).containsExactly((short) 1, (short) 3, (short) 3);
                assertThat(array(row, 3)).containsExactly(600000, 600000, 400000);
                assertThat(array(row, 4)).containsExactly(500000000000L, 100000000000L, 400000000000L);
                assertThat(array(row, 5)).containsExactly(MODEL, ITEM);
                assertThat(array(row, 6)).containsExactly((short) 1, (short) 1);
                assertThat(array(row, 7)).containsExactly((short) 4, (short) 5);
                assertThat(array(row, 8)).containsExactly(500000000000L, 0L);
            }
            try (ResultSet tables = statement.executeQuery(
                    "SELECT count(*) FROM pg_tables WHERE tablename IN ('attribution_share', 'attribution_asset')")) {
                tables.next();
                assertThat(tables.getInt(1)).isZero();
            }
            for (String change : List.of("UPDATE attribution_detail SET share_ppm = share_ppm",
                    "DELETE FROM attribution_detail", "TRUNCATE attribution_detail CASCADE")) {
                assertThatThrownBy(() -> statement.execute(change)).as(change).isInstanceOf(SQLException.class);
            }
        }
    }

    private static List<Object> array(ResultSet row, int column) throws SQLException {
        return Arrays.asList((Object[]) row.getArray(column).getArray());
    }
}
