package io.tribute.payout.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.payout.mapping.JournalMapper;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.BatchState;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementEvent;
import io.tribute.payout.v1.SettlementEventType;
import io.tribute.payout.v1.SettlementState;
import io.tribute.payout.v1.WatchSettlementResponse;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * WatchSettlement: a SNAPSHOT, then one event per observed change of the settlement's or a batch's state (and per
 * replacement transaction), read from the stored state every tribute.payout.watch-interval; completes after a
 * SETTLED or FAILED settlement.
 */
@ApplicationScoped
public class SettlementWatcher {

    private final SettlementService settlements;
    private final PayoutSettings settings;
    private final Vertx vertx;

    public SettlementWatcher(SettlementService settlements, PayoutSettings settings, Vertx vertx) {
        this.settlements = settlements;
        this.settings = settings;
        this.vertx = vertx;
    }

    public Multi<WatchSettlementResponse> watch(UUID id) {
        AtomicReference<Settlement> last = new AtomicReference<>();
        AtomicLong sequence = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> (last.get() == null ? Uni.createFrom().voidItem() : pause())
                        .chain(() -> settlements.describe(id, false)))
                .whilst(settlement -> !isFinal(settlement.getState()))
                .onItem().transformToIterable(settlement -> events(last.getAndSet(settlement), settlement, sequence));
    }

    /** Waits one interval on a Vert.x timer, so the next read continues on the call's own context. */
    private Uni<Void> pause() {
        return Uni.createFrom().emitter(emitter ->
                vertx.setTimer(settings.watchInterval().toMillis(), timer -> emitter.complete(null)));
    }

    private static List<WatchSettlementResponse> events(Settlement before, Settlement after, AtomicLong sequence) {
        List<SettlementEvent.Builder> events = new ArrayList<>();
        if (before == null) {
            events.add(SettlementEvent.newBuilder().setType(SettlementEventType.SETTLEMENT_EVENT_TYPE_SNAPSHOT)
                    .setDetail("the settlement's current state"));
        } else {
            Map<String, Batch> previous = new HashMap<>();
            before.getBatchesList().forEach(batch -> previous.put(batch.getBatchId(), batch));
            for (Batch batch : after.getBatchesList()) {
                Batch old = previous.get(batch.getBatchId());
                BatchState oldState = old == null ? BatchState.BATCH_STATE_UNSPECIFIED : old.getState();
                if (oldState != batch.getState()) {
                    events.add(batchEvent(SettlementEventType.SETTLEMENT_EVENT_TYPE_BATCH_STATE_CHANGED, oldState,
                            batch, "batch " + batch.getIndex() + " is now " + batch.getState().name()));
                } else if (old != null && !old.getTxHash().equals(batch.getTxHash())) {
                    events.add(batchEvent(SettlementEventType.SETTLEMENT_EVENT_TYPE_TRANSACTION_REPLACED, oldState,
                            batch, "transaction replaced with the same nonce and a higher fee"));
                }
            }
            if (events.isEmpty() && before.getState() != after.getState()) {
                events.add(SettlementEvent.newBuilder()
                        .setType(SettlementEventType.SETTLEMENT_EVENT_TYPE_SETTLEMENT_STATE_CHANGED)
                        .setDetail("settlement is now " + after.getState().name()));
            }
        }
        SettlementState previousState = before == null ? SettlementState.SETTLEMENT_STATE_UNSPECIFIED
                : before.getState();
        var now = JournalMapper.timestamp(OffsetDateTime.now(ZoneOffset.UTC));
        return events.stream().map(event -> WatchSettlementResponse.newBuilder()
                .setEvent(event.setSequence(sequence.getAndIncrement())
                        .setPreviousSettlementState(previousState)
                        .setSettlementState(after.getState())
                        .setOccurredAt(now))
                .setSettlement(after)
                .build()).toList();
    }

    private static SettlementEvent.Builder batchEvent(SettlementEventType type, BatchState previous, Batch batch,
            String detail) {
        return SettlementEvent.newBuilder().setType(type).setBatchId(batch.getBatchId())
                .setPreviousBatchState(previous).setBatchState(batch.getState()).setTxHash(batch.getTxHash())
                .setDetail(detail);
    }

    private static boolean isFinal(SettlementState state) {
        return state == SettlementState.SETTLEMENT_STATE_SETTLED || state == SettlementState.SETTLEMENT_STATE_FAILED;
    }
}
