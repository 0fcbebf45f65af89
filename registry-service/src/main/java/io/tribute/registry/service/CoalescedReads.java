package io.tribute.registry.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Point reads by key, coalesced: while {@code maxInFlight} statements are running, further keys wait, and the
 * next free slot reads all of them (up to {@code maxBatch}) with one multi-key statement. A lone read goes
 * straight through, so this adds no latency when idle; under load one round trip and one statement serve many
 * callers instead of each paying its own. A key not in the statement's answer completes with null.
 */
public final class CoalescedReads<K, V> {

    private final Function<List<K>, Uni<Map<K, V>>> read;
    private final int maxInFlight;
    private final int maxBatch;
    private final Queue<Pending<K, V>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public CoalescedReads(Function<List<K>, Uni<Map<K, V>>> read, int maxInFlight, int maxBatch) {
        this.read = read;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
    }

    /** The value of {@code key}, or null when the statement does not find it. */
    public Uni<V> get(K key) {
        return Uni.createFrom().emitter(emitter -> {
            waiting.add(new Pending<>(key, emitter));
            drain();
        });
    }

    /** Starts statements while keys wait and slots are free; every finished statement calls it again. */
    private void drain() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending<K, V>> batch = new ArrayList<>();
            Pending<K, V> next;
            while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            List<K> keys = new ArrayList<>(new LinkedHashSet<>(batch.stream().map(Pending::key).toList()));
            Uni.createFrom().deferred(() -> read.apply(keys)).subscribe().with(found -> {
                inFlight.decrementAndGet();
                batch.forEach(pending -> pending.emitter().complete(found.get(pending.key())));
                drain();
            }, failure -> {
                inFlight.decrementAndGet();
                batch.forEach(pending -> pending.emitter().fail(failure));
                drain();
            });
        }
    }

    private record Pending<K, V>(K key, UniEmitter<? super V> emitter) {
    }
}
