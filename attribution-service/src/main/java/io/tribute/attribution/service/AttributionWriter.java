package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.LogGrowth;
import io.tribute.attribution.mapping.AttributionForms.InputsWithoutNodes;
import io.tribute.attribution.repository.AttributionBatchRepository;
import io.tribute.attribution.repository.AttributionBatchRepository.AssetRow;
import io.tribute.attribution.repository.AttributionBatchRepository.Claim;
import io.tribute.attribution.repository.AttributionBatchRepository.NewAttribution;
import io.tribute.attribution.repository.AttributionBatchRepository.NewAttributionRows;
import io.tribute.attribution.repository.AttributionBatchRepository.ShareRow;
import io.tribute.attribution.repository.LogAppendRepository;
import io.tribute.attribution.repository.LogAppendRepository.Tip;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.tribute.attribution.v1.Attribution;
import io.tribute.common.Ids;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores a batch of computed attributions and appends their log leaves in one transaction, once per
 * request_id. The log's append lock is taken first, so the request_id and one-attribution-per-output checks
 * cannot race another writer (of this replica or another); each item gets its own outcome.
 */
@ApplicationScoped
public class AttributionWriter {

    private static final String RPC = "AttributeOutput";

    private final Pool pool;
    private final AttributionBatchRepository attributions;
    private final LogAppendRepository logAppends;
    private final StoredLineageNodes storedNodes;

    public AttributionWriter(Pool pool, AttributionBatchRepository attributions, LogAppendRepository logAppends,
            StoredLineageNodes storedNodes) {
        this.pool = pool;
        this.attributions = attributions;
        this.logAppends = logAppends;
        this.storedNodes = storedNodes;
    }

    /**
     * A computed attribution waiting to be stored: everything but its id, log index and time. Its canonical
     * inputs leave out the lineage's node forms, stored once per node (by asset id, in the lineage's order).
     */
    record Computed(Attribution unstored, UUID policyId, OffsetDateTime producedAt, byte[] evidence,
            InputsWithoutNodes inputs, List<UUID> lineageNodeIds, List<String> lineageNodeForms, List<ShareRow> shares,
            List<AssetRow> assets) {
    }

    /** One request of a batch; no two items of a batch share a request_id or an output hash. */
    record Item(AttributeOutputRequest request, Computed computed) {
    }

    /** The outcome of one item: its response, or the error it alone answers with. */
    record Outcome(AttributeOutputResponse response, RuntimeException error) {
    }

    /**
     * Stores the items that are new, in order, as consecutive log leaves; returns one outcome per item (in
     * the items' order). A failure of the transaction fails the whole batch and stores nothing. Round trips:
     * the lock with every read, the claims, the inserts, the commit.
     */
    public Uni<List<Outcome>> storeBatch(List<Item> items) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        items.forEach(item -> outcomes.put(item.request().getRequestId(), null));
        List<String> outputs = items.stream()
                .map(item -> item.computed().unstored().getOutput().getContentSha256()).toList();
        return pool.withTransaction(connection -> Uni.combine().all()
                .unis(logAppends.lock(connection), attributions.findRequests(connection, requestIds(items)),
                        attributions.findIdsByOutputs(connection, outputs))
                .with((tip, claimed, existing) -> new Locked(tip, refuseAttributed(
                        replayClaimed(items, claimed, outcomes), existing, outcomes)))
                .chain(locked -> claim(connection, locked.unclaimed(), outcomes)
                        .chain(toStore -> insert(connection, locked.tip(), toStore, outcomes))))
                .invoke(storedNodes::stored)
                .map(ignored -> new ArrayList<>(outcomes.values()));
    }

    /** The log's tip under the append lock and the items that are neither replays nor attributed outputs. */
    private record Locked(Tip tip, List<Item> unclaimed) {
    }

    private static List<String> requestIds(List<Item> items) {
        return items.stream().map(item -> item.request().getRequestId()).toList();
    }

    /** Items whose request_id completed before get that first response (or REQUEST_ID_REUSED). */
    private static List<Item> replayClaimed(List<Item> items, Map<String, Object[]> claimed,
            Map<String, Outcome> outcomes) {
        List<Item> rest = new ArrayList<>();
        for (Item item : items) {
            Object[] row = claimed.get(item.request().getRequestId());
            if (row == null) {
                rest.add(item);
            } else {
                outcomes.put(item.request().getRequestId(), replay(item, row));
            }
        }
        return rest;
    }

    private static Outcome replay(Item item, Object[] row) {
        try {
            return new Outcome(IdempotentRequests.replay(ERRORS, RPC, item.request().getRequestId(),
                    IdempotentRequests.digest(RPC, item.request()), row, AttributeOutputResponse.parser()), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    private static List<Item> refuseAttributed(List<Item> items, Map<String, UUID> existing,
            Map<String, Outcome> outcomes) {
        List<Item> rest = new ArrayList<>();
        for (Item item : items) {
            String sha = item.computed().unstored().getOutput().getContentSha256();
            UUID attributed = existing.get(sha);
            if (attributed == null) {
                rest.add(item);
            } else {
                outcomes.put(item.request().getRequestId(), new Outcome(null, ERRORS.alreadyExists(
                        ErrorReason.ERROR_REASON_OUTPUT_ALREADY_ATTRIBUTED, "output " + sha + " is already attributed",
                        Map.of("attribution_id", attributed.toString()))));
            }
        }
        return rest;
    }

    /**
     * Claims the request ids, each naming the attribution the item will be stored as; one claimed meanwhile by
     * another RPC's transaction is answered from its row. Returns the items to store, by their attribution ids.
     */
    private Uni<Map<UUID, Item>> claim(SqlConnection connection, List<Item> items, Map<String, Outcome> outcomes) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        items.forEach(item -> ids.put(item.request().getRequestId(), Ids.newId()));
        List<Claim> claims = items.stream().map(item -> new Claim(item.request().getRequestId(),
                IdempotentRequests.digest(RPC, item.request()), ids.get(item.request().getRequestId()))).toList();
        return attributions.claim(connection, RPC, claims).chain(won -> {
            List<Item> lost = items.stream().filter(item -> !won.contains(item.request().getRequestId())).toList();
            Map<UUID, Item> toStore = new LinkedHashMap<>();
            items.stream().filter(item -> won.contains(item.request().getRequestId()))
                    .forEach(item -> toStore.put(ids.get(item.request().getRequestId()), item));
            return attributions.findRequests(connection, requestIds(lost)).map(rows -> {
                replayClaimed(lost, rows, outcomes);
                return toStore;
            });
        });
    }

    /** Inserts the items to store and the lineage nodes not known to be stored; answers those nodes. */
    private Uni<Map<UUID, String>> insert(SqlConnection connection, Tip tip, Map<UUID, Item> items,
            Map<String, Outcome> outcomes) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<UUID, String> newNodes = storedNodes.unknown(items.values().stream().map(Item::computed).toList());
        List<byte[]> leaves = items.values().stream()
                .map(item -> HexFormat.of().parseHex(item.computed().unstored().getAttributionHash())).toList();
        long firstIndex = tip.size();
        OffsetDateTime createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<NewAttributionRows> rows = new ArrayList<>();
        long logIndex = firstIndex;
        for (Map.Entry<UUID, Item> stored : items.entrySet()) {
            UUID id = stored.getKey();
            Item item = stored.getValue();
            Computed computed = item.computed();
            Attribution attribution = computed.unstored().toBuilder()
                    .setId(id.toString())
                    .setLogIndex(logIndex)
                    .setCreatedAt(AttributionService.timestamp(createdAt))
                    .setRequestId(item.request().getRequestId())
                    .build();
            rows.add(new NewAttributionRows(new NewAttribution(id, attribution.getOutput().getContentSha256(),
                    attribution.getOutput().getPlatformRef(), computed.producedAt(), computed.policyId(),
                    attribution.getPolicyVersion(), attribution.getAttributionHash(), logIndex, createdAt,
                    attribution.toByteArray(), computed.evidence(), computed.inputs().bytes(),
                    computed.inputs().nodesAt(), computed.lineageNodeIds()),
                    computed.shares(), computed.assets()));
            AttributeOutputResponse response = AttributeOutputResponse.newBuilder().setAttribution(attribution).build();
            outcomes.put(item.request().getRequestId(), new Outcome(response, null));
            logIndex++;
        }
        // Sent together: the leaves and nodes first, as the attributions' log_index references them.
        return Uni.combine().all().unis(
                        logAppends.insert(connection, firstIndex, leaves, LogGrowth.newNodes(firstIndex, tip.frontier(), leaves)),
                        attributions.insertAll(connection, rows, newNodes))
                .discardItems().replaceWith(newNodes);
    }

    /** The keys that two items of one batch must not share (else the later waits for the next batch). */
    static Set<String> batchKeys(Item item) {
        return Set.of("request:" + item.request().getRequestId(),
                "output:" + item.computed().unstored().getOutput().getContentSha256());
    }
}
