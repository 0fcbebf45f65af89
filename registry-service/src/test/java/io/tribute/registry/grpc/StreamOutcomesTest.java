package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.AssetFixtures.asset;
import static io.tribute.registry.grpc.AssetFixtures.contributor;
import static io.tribute.registry.grpc.AssetFixtures.parent;
import static io.tribute.registry.grpc.AssetFixtures.randomSha;
import static io.tribute.registry.grpc.AssetFixtures.register;
import static io.tribute.registry.grpc.AssetFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc.MutinyRegistryServiceStub;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegisterAssetsResponse.Registered;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Streamed batches whose entries are not all new: stored content or request ids, and streams that race for the
 * same ones (the losing batch meets the winner's key, rolls back and registers again). Every entry still gets one
 * consistent answer.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StreamOutcomesTest {

    private static final int STREAMS = 4;
    private static final int ENTRIES = 600;
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(3);

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @GrpcClient("registry")
    MutinyRegistryServiceStub streaming;

    @Test
    void racingStreamsOfOneContentWithOtherRequestIdsRegisterEachAssetOnce() {
        String alice = contributor(registry);
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            shas.add(randomSha());
        }
        List<List<RegisterAssetsRequest>> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            streams.add(shas.stream().map(sha -> RegisterAssetsRequest.newBuilder()
                    .setAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, alice))).build()).toList());
        }

        List<RegisterAssetsResponse> responses = inParallel(streams);

        Map<String, Set<String>> idsBySha = new HashMap<>();
        Map<String, Integer> createdBySha = new HashMap<>();
        for (RegisterAssetsResponse response : responses) {
            assertThat(response.getFailedCount()).isZero();
            for (int i = 0; i < ENTRIES; i++) {
                Registered registered = response.getResults(i).getRegistered();
                assertThat(registered.getSha256()).isEqualTo(shas.get(i));
                idsBySha.computeIfAbsent(registered.getSha256(), k -> new HashSet<>())
                        .add(registered.getAssetId());
                createdBySha.merge(registered.getSha256(), registered.getCreated() ? 1 : 0, Integer::sum);
            }
        }
        assertThat(idsBySha).hasSize(ENTRIES).allSatisfy((sha, ids) -> assertThat(ids).hasSize(1));
        assertThat(createdBySha.values()).containsOnly(1);
        assertThat(responses.stream().mapToInt(RegisterAssetsResponse::getCreatedCount).sum()).isEqualTo(ENTRIES);
        String sample = shas.get(ENTRIES / 2);
        assertThat(registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(sample).build()).getAsset().getId())
                .isEqualTo(idsBySha.get(sample).iterator().next());
    }

    @Test
    void racingStreamsOfTheSameRequestIdsAllGetTheFirstAnswers() {
        String alice = contributor(registry);
        List<RegisterAssetsRequest> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(RegisterAssetsRequest.newBuilder()
                    .setAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice))).build());
        }
        List<List<RegisterAssetsRequest>> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            streams.add(entries);
        }

        List<RegisterAssetsResponse> responses = inParallel(streams);

        Set<List<RegisterAssetsResponse.Result>> answers = responses.stream()
                .map(RegisterAssetsResponse::getResultsList).collect(Collectors.toSet());
        assertThat(answers).hasSize(1);
        assertThat(responses.getFirst().getResultsList())
                .allSatisfy(result -> assertThat(result.getRegistered().getCreated()).isTrue());
        assertThat(responses.stream().mapToInt(RegisterAssetsResponse::getCreatedCount).sum()).isEqualTo(ENTRIES);
        assertThat(responses.stream().mapToInt(RegisterAssetsResponse::getExistingCount).sum())
                .isEqualTo(ENTRIES * (STREAMS - 1));
    }

    @Test
    void storedContentInABatchOfNewEntriesIsAnsweredAsWithoutTheNewOnes() {
        String alice = contributor(registry);
        Asset stored = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        String fresh = randomSha();
        List<RegisterAssetsRequest> messages = List.of(
                entry(asset(AssetKind.ASSET_KIND_DATA_ITEM, fresh, alice)),
                entry(asset(AssetKind.ASSET_KIND_DATA_ITEM, stored.getSha256(), UUID.randomUUID().toString())),
                entry(asset(AssetKind.ASSET_KIND_DATA_ITEM, stored.getSha256(), alice)
                        .addParents(parent(UUID.randomUUID().toString(), EdgeType.EDGE_TYPE_DERIVED_FROM))));

        RegisterAssetsResponse response = streaming.registerAssets(Multi.createFrom().iterable(messages))
                .await().atMost(STREAM_TIMEOUT);

        assertThat(response.getResults(0).getRegistered().getCreated()).isTrue();
        assertThat(response.getResults(0).getRegistered().getSha256()).isEqualTo(fresh);
        // The stored content decides: other creators → ALREADY_EXISTS naming it (not CONTRIBUTOR_NOT_FOUND), and
        // the same creators → the stored asset (its parents are not compared, as for RegisterAsset).
        assertThat(response.getResults(1).getError().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS.value());
        assertThat(response.getResults(1).getError().getMetadataMap()).containsEntry("asset_id", stored.getId());
        assertThat(response.getResults(2).getRegistered().getAssetId()).isEqualTo(stored.getId());
        assertThat(response.getResults(2).getRegistered().getCreated()).isFalse();
        assertThat(response.getCreatedCount()).isEqualTo(1);
        assertThat(response.getExistingCount()).isEqualTo(1);
        assertThat(response.getFailedCount()).isEqualTo(1);
    }

    private static RegisterAssetsRequest entry(Asset.Builder asset) {
        return RegisterAssetsRequest.newBuilder().setAsset(request(asset)).build();
    }

    private List<RegisterAssetsResponse> inParallel(List<List<RegisterAssetsRequest>> streams) {
        List<Uni<RegisterAssetsResponse>> calls = streams.stream()
                .map(messages -> streaming.registerAssets(Multi.createFrom().iterable(messages))).toList();
        return Uni.join().all(calls).andFailFast().await().atMost(STREAM_TIMEOUT);
    }
}
