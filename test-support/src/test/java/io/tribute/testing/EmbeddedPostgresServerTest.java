package io.tribute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

    @Test
    void aSettingReadOnlyAtStartTakesEffectAfterTheRestartAndTheDataStays() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startInTemporaryDirectory()) {
            PostgresDatabase database = server.createDatabase("settings");
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
            }

            assertThat(server.restartWith("shared_buffers", "64MB")).isEqualTo("64MB");
            assertThat(server.restartWith("fsync", "on")).isEqualTo("on");

            try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                    var kept = statement.executeQuery("SELECT id FROM kept")) {
                assertThat(kept.next()).isTrue();
                assertThat(kept.getInt(1)).isEqualTo(7);
            }
            assertThatThrownBy(() -> server.restartWith("shared_buffers; DROP TABLE kept", "1MB"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
