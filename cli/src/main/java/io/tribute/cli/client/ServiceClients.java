package io.tribute.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.tribute.attribution.v1.AttributionServiceGrpc;
import io.tribute.payout.v1.PayoutServiceGrpc;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's one seam to the three services: a plaintext channel per endpoint ({@code host:port}), opened on
 * first use, and stubs that carry the deadline from the moment they are asked for (one stub per call).
 */
public final class ServiceClients implements AutoCloseable {

    private final String registryTarget;
    private final String attributionTarget;
    private final String payoutTarget;
    private final Duration deadline;
    private ManagedChannel registry;
    private ManagedChannel attribution;
    private ManagedChannel payout;

    public ServiceClients(String registryTarget, String attributionTarget, String payoutTarget, Duration deadline) {
        this.registryTarget = registryTarget;
        this.attributionTarget = attributionTarget;
        this.payoutTarget = payoutTarget;
        this.deadline = deadline;
    }

    public String registryTarget() {
        return registryTarget;
    }

    public String attributionTarget() {
        return attributionTarget;
    }

    public String payoutTarget() {
        return payoutTarget;
    }

    public Duration deadline() {
        return deadline;
    }

    public RegistryServiceGrpc.RegistryServiceBlockingStub registry() {
        return RegistryServiceGrpc.newBlockingStub(registryChannel()).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public AttributionServiceGrpc.AttributionServiceBlockingStub attribution() {
        return AttributionServiceGrpc.newBlockingStub(attributionChannel())
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public PayoutServiceGrpc.PayoutServiceBlockingStub payout() {
        return PayoutServiceGrpc.newBlockingStub(payoutChannel()).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A payout stub for a server stream that may run for {@code timeout} (longer than the unary deadline). */
    public PayoutServiceGrpc.PayoutServiceBlockingStub payoutStream(Duration timeout) {
        return PayoutServiceGrpc.newBlockingStub(payoutChannel()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** RegisterAssets: sends every message of one client stream and waits for the single answer. */
    public RegisterAssetsResponse registerAssets(List<RegisterAssetsRequest> messages) {
        CompletableFuture<RegisterAssetsResponse> answer = new CompletableFuture<>();
        StreamObserver<RegisterAssetsRequest> stream = RegistryServiceGrpc.newStub(registryChannel())
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .registerAssets(new StreamObserver<>() {
                    @Override
                    public void onNext(RegisterAssetsResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        answer.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("RegisterAssets ended without an answer"));
                    }
                });
        messages.forEach(stream::onNext);
        stream.onCompleted();
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized ManagedChannel registryChannel() {
        if (registry == null) {
            registry = open(registryTarget);
        }
        return registry;
    }

    private synchronized ManagedChannel attributionChannel() {
        if (attribution == null) {
            attribution = open(attributionTarget);
        }
        return attribution;
    }

    private synchronized ManagedChannel payoutChannel() {
        if (payout == null) {
            payout = open(payoutTarget);
        }
        return payout;
    }

    private static ManagedChannel open(String target) {
        return ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    }

    @Override
    public synchronized void close() {
        for (ManagedChannel channel : new ManagedChannel[] {registry, attribution, payout}) {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
    }
}
