package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.AssetFixtures.asset;
import static io.tribute.registry.grpc.AssetFixtures.contributor;
import static io.tribute.registry.grpc.AssetFixtures.randomSha;
import static io.tribute.registry.grpc.AssetFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.v1.AssetKind;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceStub;
import io.tribute.testing.PostgresResource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A RegisterAssets stream that its client cancels: what the server committed is whole batches (each entry with
 * its creators and its request id, so a retry replays it), nothing of the unfinished batch, and the server
 * keeps serving.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StreamCancellationTest {

    /** tribute.registry.register-batch-size in application.properties. */
    private static final int BATCH = 1000;

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    /** The plain grpc-java asynchronous stub is built on the channel: it can cancel a call half-way. */
    @GrpcClient("registry")
    Channel channel;

    @Test
    void cancelledStreamLeavesOnlyWholeBatchesAndTheServerKeepsServing() throws Exception {
        RegistryServiceStub async = RegistryServiceGrpc.newStub(channel);
        String alice = contributor(registry);
        List<RegisterAssetsRequest> entries = new ArrayList<>();
        for (int i = 0; i < BATCH + BATCH / 2; i++) {
            entries.add(RegisterAssetsRequest.newBuilder()
                    .setAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice))).build());
        }
        CompletableFuture<RegisterAssetsResponse> outcome = new CompletableFuture<>();
        StreamObserver<RegisterAssetsRequest> stream = async.registerAssets(observer(outcome));
        entries.forEach(stream::onNext);

        // The first batch is full, so the server registers it; the second stays open until the stream ends.
        awaitRegistered(sha(entries.get(BATCH - 1)));
        stream.onError(Status.CANCELLED.withDescription("the client gives up").asRuntimeException());

        assertThat(outcome).failsWithin(30, TimeUnit.SECONDS);
        for (int i = 0; i < BATCH; i++) {
            assertThat(lookup(sha(entries.get(i)))).as("entry %d", i).isNotNull()
                    .satisfies(asset -> assertThat(asset.getCreators(0).getContributorId()).isEqualTo(alice));
        }
        for (int i = BATCH; i < entries.size(); i++) {
            assertThat(lookup(sha(entries.get(i)))).as("entry %d", i).isNull();
        }

        // Retrying the whole stream replays the committed batch and registers the rest.
        CompletableFuture<RegisterAssetsResponse> retry = new CompletableFuture<>();
        StreamObserver<RegisterAssetsRequest> again = async.registerAssets(observer(retry));
        entries.forEach(again::onNext);
        again.onCompleted();
        RegisterAssetsResponse response = retry.get(60, TimeUnit.SECONDS);
        assertThat(response.getFailedCount()).isZero();
        assertThat(response.getExistingCount()).isEqualTo(BATCH);
        assertThat(response.getCreatedCount()).isEqualTo(BATCH / 2);
        assertThat(response.getResults(0).getRegistered().getAssetId())
                .isEqualTo(lookup(sha(entries.get(0))).getId());
        assertThat(registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)))
                .getCreated()).isTrue();
    }

    private void awaitRegistered(String sha) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lookup(sha) == null) {
            assertThat(System.nanoTime()).as("first batch registered in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private Asset lookup(String sha) {
        try {
            return registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(sha).build()).getAsset();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            return null;
        }
    }

    private static String sha(RegisterAssetsRequest entry) {
        return entry.getAsset().getAsset().getSha256();
    }

    private static StreamObserver<RegisterAssetsResponse> observer(CompletableFuture<RegisterAssetsResponse> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(RegisterAssetsResponse value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(new IllegalStateException("completed without a response"));
            }
        };
    }
}
