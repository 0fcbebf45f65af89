package io.tribute.registry.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tribute.common.v1.AssetKind;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RegisterAsset (unary) with group commit: calls that arrive while tribute.registry.unary-batches-in-flight
 * transactions are running wait, and the next free slot registers all of them (up to
 * tribute.registry.unary-batch-size) as one AssetRegistrar batch. A lone call goes straight through, so
 * batching adds no latency when the service is idle; under load it turns ~8 round trips per call into ~8 per
 * batch. Each caller still gets its own outcome: AssetRegistrar keeps entries independent (a rejected entry
 * persists nothing and does not affect the others). Dataset registrations, which can be large, go alone.
 */
@ApplicationScoped
public class UnaryRegistrations {

    private final AssetRegistrar registrar;
    private final AssetSettings settings;
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public UnaryRegistrations(AssetRegistrar registrar, AssetSettings settings) {
        this.registrar = registrar;
        this.settings = settings;
    }

    public Uni<RegisterAssetResponse> register(RegisterAssetRequest request) {
        if (request.getAsset().getKind() == AssetKind.ASSET_KIND_DATASET) {
            return registrar.register(List.of(request), settings.maxDatasetMembersPerMessage())
                    .map(outcomes -> answer(outcomes.getFirst()));
        }
        return Uni.createFrom().emitter(emitter -> {
            waiting.add(new Pending(request, emitter));
            drain();
        });
    }

    /** Starts batches while there are waiting calls and free slots; every finished batch calls it again. */
    private void drain() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= settings.unaryBatchesInFlight()) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < settings.unaryBatchSize() && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            List<RegisterAssetRequest> requests = batch.stream().map(Pending::request).toList();
            Uni.createFrom().deferred(() -> registrar.register(requests, settings.maxDatasetMembersPerMessage()))
                    .subscribe().with(outcomes -> {
                        inFlight.decrementAndGet();
                        for (int i = 0; i < batch.size(); i++) {
                            AssetRegistrar.Outcome outcome = outcomes.get(i);
                            if (outcome.error() != null) {
                                batch.get(i).emitter().fail(outcome.error());
                            } else {
                                batch.get(i).emitter().complete(outcome.response());
                            }
                        }
                        drain();
                    }, failure -> {
                        inFlight.decrementAndGet();
                        batch.forEach(pending -> pending.emitter().fail(failure));
                        drain();
                    });
        }
    }

    private static RegisterAssetResponse answer(AssetRegistrar.Outcome outcome) {
        if (outcome.error() != null) {
            throw outcome.error();
        }
        return outcome.response();
    }

    private record Pending(RegisterAssetRequest request, UniEmitter<? super RegisterAssetResponse> emitter) {
    }
}
