package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.AssetFixtures.asset;
import static io.tribute.registry.grpc.AssetFixtures.contributor;
import static io.tribute.registry.grpc.AssetFixtures.randomSha;
import static io.tribute.registry.grpc.AssetFixtures.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.v1.AssetKind;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The database itself keeps every creator row pointing at an existing contributor and asset (V23: checked once
 * per statement, and neither kind of row can be removed), whatever a client of the database does.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CreatorReferencesTest {

    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String RESTRICT_VIOLATION = "23001";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Inject
    Pool database;

    @Test
    void creatorRowsNamingAnUnknownContributorOrAssetAreRefusedAndNothingOfTheStatementStays() {
        UUID alice = UUID.fromString(contributor(registry));
        UUID bob = UUID.fromString(contributor(registry));
        UUID assetId = UUID.fromString(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(),
                alice.toString())).getId());

        assertRefused(() -> execute("""
                INSERT INTO asset_creator (asset_id, contributor_id, share_ppm)
                VALUES ($1, $2, 1), ($1, $3, 1)""", Tuple.of(assetId, bob, UUID.randomUUID())),
                FOREIGN_KEY_VIOLATION);
        assertRefused(() -> execute("INSERT INTO asset_creator (asset_id, contributor_id, share_ppm) VALUES ($1, $2, 1)",
                Tuple.of(UUID.randomUUID(), alice)), FOREIGN_KEY_VIOLATION);
        assertRefused(() -> execute("UPDATE asset_creator SET contributor_id = $2 WHERE asset_id = $1",
                Tuple.of(assetId, UUID.randomUUID())), FOREIGN_KEY_VIOLATION);
        assertRefused(() -> execute("UPDATE asset_creator SET asset_id = $2 WHERE asset_id = $1",
                Tuple.of(assetId, UUID.randomUUID())), FOREIGN_KEY_VIOLATION);
        assertThat(creatorsOf(assetId)).isEqualTo(alice + ":1000000");

        execute("INSERT INTO asset_creator (asset_id, contributor_id, share_ppm) VALUES ($1, $2, 1)",
                Tuple.of(assetId, bob));
        assertThat(creatorsOf(assetId)).contains(bob + ":1");
    }

    @Test
    void contributorsAndAssetsAreNeverDeletedTruncatedOrGivenAnotherId() {
        UUID alice = UUID.fromString(contributor(registry));
        UUID unreferenced = UUID.fromString(contributor(registry));
        UUID assetId = UUID.fromString(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(),
                alice.toString())).getId());

        assertRefused(() -> execute("DELETE FROM contributor WHERE id = $1", Tuple.of(alice)), RESTRICT_VIOLATION);
        assertRefused(() -> execute("DELETE FROM contributor WHERE id = $1", Tuple.of(unreferenced)),
                RESTRICT_VIOLATION);
        assertRefused(() -> execute("DELETE FROM asset WHERE id = $1", Tuple.of(assetId)), RESTRICT_VIOLATION);
        assertRefused(() -> execute("UPDATE contributor SET id = $2 WHERE id = $1", Tuple.of(alice, UUID.randomUUID())),
                RESTRICT_VIOLATION);
        assertRefused(() -> execute("UPDATE asset SET id = $2 WHERE id = $1", Tuple.of(assetId, UUID.randomUUID())),
                RESTRICT_VIOLATION);
        assertRefused(() -> database.query("TRUNCATE asset CASCADE").execute().await().atMost(WAIT),
                RESTRICT_VIOLATION);
        assertRefused(() -> database.query("TRUNCATE contributor CASCADE").execute().await().atMost(WAIT),
                RESTRICT_VIOLATION);

        execute("UPDATE contributor SET display_name = 'renamed' WHERE id = $1", Tuple.of(alice));
        assertThat(creatorsOf(assetId)).isEqualTo(alice + ":1000000");
        assertThat(database.preparedQuery("SELECT count(*) FROM contributor WHERE id = ANY($1::uuid[])")
                .execute(Tuple.of((Object) new UUID[] {alice, unreferenced})).await().atMost(WAIT)
                .iterator().next().getLong(0)).isEqualTo(2);
    }

    private Object execute(String sql, Tuple arguments) {
        return database.preparedQuery(sql).execute(arguments).await().atMost(WAIT);
    }

    private String creatorsOf(UUID assetId) {
        return database.preparedQuery("""
                SELECT string_agg(contributor_id || ':' || share_ppm, ',' ORDER BY contributor_id)
                  FROM asset_creator WHERE asset_id = $1""").execute(Tuple.of(assetId)).await().atMost(WAIT)
                .iterator().next().getString(0);
    }

    private static void assertRefused(Supplier<Object> statement, String sqlState) {
        assertThatThrownBy(statement::get).isInstanceOfSatisfying(DatabaseException.class,
                refused -> assertThat(refused.getSqlState()).isEqualTo(sqlState));
    }
}
