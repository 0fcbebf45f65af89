package io.tribute.attribution.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribute.attribution.Migrations;
import io.tribute.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration V6's lineage_node table with the writer's insert: a node is stored once, offered again it is skipped,
 * and it is never replaced by another form, nor updated or deleted.
 */
class LineageNodeStoreTest {

    private static PostgresDatabase database;

    @BeforeAll
    static void migrate() {
        database = Migrations.migratedDatabase("lineage_nodes");
    }

    @Test
    void aNodeIsStoredOnceAndNeverReplaced() throws SQLException {
        UUID asset = UUID.randomUUID();
        String form = "{\"asset_id\":\"" + asset + "\",\"creators\":[],\"item_creators\":[],\"kind\":\"PROMPT\"}";
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            insert(sql, asset, form);
            insert(sql, asset, form);
            assertThat(forms(statement, asset)).containsExactly(form);

            String other = form.replace("PROMPT", "REVIEW");
            assertThatThrownBy(() -> insert(sql, asset, other)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("not allowed");
            for (String change : List.of("UPDATE lineage_node SET form = form", "DELETE FROM lineage_node",
                    "TRUNCATE lineage_node")) {
                assertThatThrownBy(() -> statement.execute(change)).as(change).isInstanceOf(SQLException.class);
            }
            assertThat(forms(statement, asset)).containsExactly(form);
        }
    }

    @Test
    void anAttributionNamesItsNodesTogetherWithTheirOffsetOrNeither() throws SQLException {
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            statement.execute("INSERT INTO log_leaf (leaf_index, leaf_data) VALUES (0, sha256('x'))");
            String attribution = """
                    INSERT INTO attribution (attribution_id, output_sha256, platform_ref, produced_at, policy_id,
                        policy_version, attribution_hash, log_index, created_at, record, evidence, canonical_inputs,
                        lineage_nodes_at, lineage_node_ids)
                    VALUES (gen_random_uuid(), '%s', 'ref', now(), '00000000-0000-7000-8000-000000000000', 1,
                        'hash', 0, now(), '\\x', NULL, '\\x0102', %s, %s)""";
            assertThatThrownBy(() -> statement.execute(attribution.formatted("a", "1", "NULL")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("attribution_lineage_nodes");
            assertThatThrownBy(() -> statement.execute(attribution.formatted("b", "3", "ARRAY[gen_random_uuid()]")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("attribution_lineage_nodes");
            statement.execute(attribution.formatted("c", "1", "ARRAY[gen_random_uuid()]"));
        }
    }

    private static void insert(Connection sql, UUID asset, String form) throws SQLException {
        try (PreparedStatement insert = sql.prepareStatement(AttributionBatchRepository.INSERT_LINEAGE_NODES
                .replace("$1", "?").replace("$2", "?"))) {
            insert.setArray(1, sql.createArrayOf("uuid", new Object[] {asset}));
            insert.setArray(2, sql.createArrayOf("text", new Object[] {form}));
            insert.execute();
        }
    }

    private static List<String> forms(Statement statement, UUID asset) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT form FROM lineage_node WHERE asset_id = '" + asset + "'")) {
            List<String> forms = new ArrayList<>();
            while (rows.next()) {
                forms.add(rows.getString(1));
            }
            return forms;
        }
    }
}
