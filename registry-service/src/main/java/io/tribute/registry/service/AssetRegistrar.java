package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.merkle.MerkleProofs;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.mapping.AssetMapper;
import io.tribute.registry.repository.AssetRepository;
import io.tribute.registry.repository.AssetRepository.NewAsset;
import io.tribute.registry.repository.DatasetRepository;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Registers assets in batches: one transaction per batch, a handful of multi-row statements whatever its
 * size, one outcome per entry. RegisterAsset sends the calls that wait together (UnaryRegistrations);
 * RegisterAssets sends batches of tribute.registry.register-batch-size entries (a dataset entry alone).
 *
 * <p>Each entry is idempotent by request_id (the idempotent_request table shared with IdempotentRequests:
 * looked up for the whole batch in one statement, and the accepted entries' ids recorded with their responses
 * in another; a rejected entry records nothing) and by content (same sha256, kind and creators → the
 * existing asset). Two batches racing for one request id or content hash meet on a unique index: the loser
 * rolls back and is retried, then replays the winner's response or finds the winner's asset.
 *
 * <p>A batch without a dataset is first written as if every entry were new and accepted, without the two
 * look-ups (about 10 µs of PostgreSQL CPU per streamed asset, bench/RESULTS.md); the unique indexes catch an
 * entry that is not new, and any rejection or conflict sends the batch down the checked path above.
 */
@ApplicationScoped
public class AssetRegistrar {

    static final String RPC = "RegisterAsset";
    private static final int RETRIES_ON_RACE = 3;
    private static final HexFormat HEX = HexFormat.of();

    private final Pool pool;
    private final AssetRepository assets;
    private final DatasetRepository datasets;
    private final AssetValidator validator;
    private final AssetSettings settings;

    public AssetRegistrar(Pool pool, AssetRepository assets, DatasetRepository datasets, AssetValidator validator,
            AssetSettings settings) {
        this.pool = pool;
        this.assets = assets;
        this.datasets = datasets;
        this.validator = validator;
        this.settings = settings;
    }

    /** The result of one entry: a response (replayed: a request_id's first response again) or its error. */
    public record Outcome(RegisterAssetResponse response, StatusRuntimeException error, boolean replayed) {
        static Outcome ok(Asset asset, boolean created) {
            return new Outcome(RegisterAssetResponse.newBuilder().setAsset(asset).setCreated(created).build(), null,
                    false);
        }

        static Outcome failed(StatusRuntimeException error) {
            return new Outcome(null, error, false);
        }

        Outcome asReplay() {
            return new Outcome(response, error, true);
        }
    }

    /**
     * Registers {@code requests} (each with its complete member list) in one transaction; a dataset entry
     * may hold up to {@code maxMembers} members.
     */
    public Uni<List<Outcome>> register(List<RegisterAssetRequest> requests, long maxMembers) {
        Outcome[] outcomes = new Outcome[requests.size()];
        Map<String, Integer> firstByRequestId = new HashMap<>();
        Map<Integer, Integer> repeats = new HashMap<>();
        List<Integer> work = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            FieldViolations violations = validator.check(requests.get(i), maxMembers);
            if (!violations.isEmpty()) {
                outcomes[i] = Outcome.failed(ERRORS.invalidArgument(violations.asList()));
            } else {
                Integer first = firstByRequestId.putIfAbsent(requests.get(i).getRequestId(), i);
                if (first == null) {
                    work.add(i);
                } else {
                    repeats.put(i, first);
                }
            }
        }
        Uni<Void> checked = pool.withTransaction(connection -> inTransaction(connection, requests, work, outcomes,
                false)).onFailure(ConcurrentRegistration.class).retry().atMost(RETRIES_ON_RACE);
        boolean withDataset = work.stream()
                .anyMatch(i -> requests.get(i).getAsset().getKind() == AssetKind.ASSET_KIND_DATASET);
        // A batch of new entries (the usual case) is written without first reading its request ids and hashes;
        // if one of them exists after all, or an entry is rejected, the attempt rolls back and the batch is
        // registered again the checked way. A dataset is always checked first: its members are costly to resolve.
        Uni<Void> run = work.isEmpty() ? Uni.createFrom().voidItem()
                : withDataset ? checked
                : pool.withTransaction(connection -> inTransaction(connection, requests, work, outcomes, true))
                        .onFailure(NotAllNew.class).recoverWithUni(() -> checked);
        return run.map(done -> {
            repeats.forEach((i, first) -> outcomes[i] = requests.get(i).equals(requests.get(first))
                    ? outcomes[first].asReplay()
                    : Outcome.failed(ERRORS.requestIdReused(requests.get(i).getRequestId())));
            return List.of(outcomes);
        });
    }

    /**
     * Reads what the batch needs (stored request ids, existing hashes, creators, parents) as statements
     * pipelined on the connection — one round trip, not four — then decides and writes the fresh entries.
     * {@code assumeAllNew}: the request ids and hashes are not read; any entry that is not new and accepted fails
     * the attempt with NotAllNew.
     */
    private Uni<Void> inTransaction(SqlConnection db, List<RegisterAssetRequest> requests, List<Integer> work,
            Outcome[] outcomes, boolean assumeAllNew) {
        String[] requestIds = work.stream().map(i -> requests.get(i).getRequestId()).toArray(String[]::new);
        Map<Integer, byte[]> digests = new HashMap<>();
        Set<UUID> contributorIds = new LinkedHashSet<>();
        Set<UUID> parentIds = new LinkedHashSet<>();
        List<byte[]> shas = new ArrayList<>();
        for (int i : work) {
            digests.put(i, IdempotentRequests.digest(RPC, requests.get(i)));
            Asset asset = requests.get(i).getAsset();
            asset.getCreatorsList().forEach(c -> contributorIds.add(UUID.fromString(c.getContributorId())));
            asset.getParentsList().forEach(p -> parentIds.add(UUID.fromString(p.getParentAssetId())));
            if (!assumeAllNew) {
                shas.add(HEX.parseHex(asset.getSha256()));
            }
        }
        Uni<Map<UUID, Asset>> parentsRead = parentIds.isEmpty() ? Uni.createFrom().item(Map.of())
                : assets.findByIds(db, parentIds.toArray(UUID[]::new));
        Uni<Map<String, Object[]>> claimsRead = assumeAllNew ? Uni.createFrom().item(Map.of())
                : assets.findClaims(db, requestIds);
        Uni<Map<String, Asset>> existingRead = assumeAllNew ? Uni.createFrom().item(Map.of())
                : assets.findByShas(db, shas);
        return Uni.combine().all().unis(claimsRead, existingRead,
                assets.contributors(db, contributorIds.toArray(UUID[]::new)), parentsRead).asTuple()
                .chain(read -> {
                    Map<String, Object[]> claims = read.getItem1();
                    List<Integer> fresh = new ArrayList<>();
                    for (int i : work) {
                        String requestId = requests.get(i).getRequestId();
                        if (claims.containsKey(requestId)) {
                            outcomes[i] = replay(requestId, digests.get(i), claims.get(requestId));
                        } else {
                            fresh.add(i);
                        }
                    }
                    if (fresh.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Map<String, Asset> existing = read.getItem2();
                    return datasetPlan(db, requests, fresh, existing).chain(plan -> decideAndWrite(db, requests,
                            fresh, digests, outcomes, existing, read.getItem3(), read.getItem4(), plan,
                            assumeAllNew));
                });
    }

    private static Outcome replay(String requestId, byte[] digest, Object[] row) {
        try {
            return new Outcome(IdempotentRequests.replay(ERRORS, RPC, requestId, digest, row,
                    RegisterAssetResponse.parser()), null, true);
        } catch (StatusRuntimeException e) {
            return Outcome.failed(e);
        }
    }

    /** The members of the batch's dataset entry (datasets come alone), unless it exists already. */
    private Uni<DatasetPlan> datasetPlan(SqlConnection db, List<RegisterAssetRequest> requests, List<Integer> fresh,
            Map<String, Asset> existing) {
        RegisterAssetRequest request = requests.get(fresh.getFirst());
        if (request.getAsset().getKind() != AssetKind.ASSET_KIND_DATASET
                || existing.containsKey(request.getAsset().getSha256())) {
            return Uni.createFrom().item(DatasetPlan.NONE);
        }
        return Uni.createFrom().deferred(() -> prepareDataset(db, request)).onFailure(StatusRuntimeException.class)
                .recoverWithItem(e -> new DatasetPlan(null, null, null, (StatusRuntimeException) e));
    }

    private Uni<DatasetPlan> prepareDataset(SqlConnection db, RegisterAssetRequest request) {
        int n = request.getDatasetMemberSha256Count();
        byte[][] items = new byte[n][];
        for (int i = 0; i < n; i++) {
            items[i] = HEX.parseHex(request.getDatasetMemberSha256(i));
        }
        Arrays.sort(items, Arrays::compareUnsigned);
        for (int i = 1; i < n; i++) {
            if (Arrays.equals(items[i - 1], items[i])) {
                String sha = HEX.formatHex(items[i]);
                throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_DATASET_MEMBER_DUPLICATE,
                        "dataset member " + sha + " is listed twice", Map.of("sha256", sha));
            }
        }
        DatasetTree tree = DatasetTree.build(items);
        String root = HEX.formatHex(MerkleProofs.root(tree, n));
        if (!root.equals(request.getAsset().getSha256())) {
            throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_DATASET_ROOT_MISMATCH,
                    "asset.sha256 is not the Merkle root of the members supplied",
                    Map.of("computed_root", root, "member_count", Integer.toString(n)));
        }
        int chunk = settings.maxDatasetMembersPerMessage();
        UUID[] itemIds = new UUID[n];
        return Multi.createFrom().range(0, (n + chunk - 1) / chunk)
                .onItem().transformToUniAndConcatenate(c -> {
                    int from = c * chunk;
                    int to = Math.min(n, from + chunk);
                    return datasets.resolve(db, Arrays.copyOfRange(items, from, to)).invoke(rows -> {
                        for (int i = 0; i < rows.size(); i++) {
                            Row row = rows.get(i);
                            UUID id = row.getUUID(0);
                            if (id != null && row.getShort(1) != AssetKind.ASSET_KIND_DATA_ITEM_VALUE) {
                                throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_KIND_MISMATCH,
                                        "dataset member " + id + " is not a DATA_ITEM",
                                        Map.of("asset_id", id.toString(), "sha256", HEX.formatHex(items[from + i])));
                            }
                            itemIds[from + i] = id;
                        }
                    });
                })
                .collect().last()
                .map(ignored -> {
                    int missing = 0;
                    String firstMissing = null;
                    for (int i = 0; i < n; i++) {
                        if (itemIds[i] == null) {
                            missing++;
                            firstMissing = firstMissing == null ? HEX.formatHex(items[i]) : firstMissing;
                        }
                    }
                    if (missing > 0) {
                        throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND,
                                missing + " dataset members are not registered assets",
                                Map.of("sha256", firstMissing, "missing_count", Integer.toString(missing)));
                    }
                    return new DatasetPlan(items, itemIds, tree, null);
                });
    }

    private Uni<Void> decideAndWrite(SqlConnection db, List<RegisterAssetRequest> requests, List<Integer> fresh,
            Map<Integer, byte[]> digests, Outcome[] outcomes, Map<String, Asset> existing, Map<UUID, String> contributors, Map<UUID, Asset> parents,
            DatasetPlan plan, boolean assumeAllNew) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Map<String, Asset> bySha = new HashMap<>(existing);
        Map<UUID, Asset> knownParents = new HashMap<>(parents);
        List<NewAsset> inserts = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        List<byte[]> answeredDigests = new ArrayList<>();
        List<byte[]> responses = new ArrayList<>();
        NewAsset dataset = null;
        for (int i : fresh) {
            RegisterAssetRequest request = requests.get(i);
            Outcome outcome;
            Asset same = bySha.get(request.getAsset().getSha256());
            if (same != null) {
                outcome = matchExisting(request.getAsset(), same);
            } else {
                StatusRuntimeException error = referenceError(request.getAsset(), contributors, knownParents);
                if (error == null && request.getAsset().getKind() == AssetKind.ASSET_KIND_DATASET) {
                    error = plan.error();
                }
                if (error != null) {
                    outcome = Outcome.failed(error);
                } else {
                    NewAsset created = newAsset(request, now, knownParents, plan);
                    inserts.add(created);
                    bySha.put(created.asset().getSha256(), created.asset());
                    knownParents.put(created.id(), created.asset());
                    if (plan.items() != null) {
                        dataset = created;
                    }
                    outcome = Outcome.ok(created.asset(), true);
                }
            }
            if (assumeAllNew && outcome.error() != null) {
                // A rejection may depend on stored rows (the content may exist already): decide it with them.
                throw new NotAllNew();
            }
            outcomes[i] = outcome;
            if (outcome.error() == null) {
                answered.add(request.getRequestId());
                answeredDigests.add(digests.get(i));
                responses.add(outcome.response().toByteArray());
            }
        }
        NewAsset newDataset = dataset;
        String[] rpcs = new String[answered.size()];
        Arrays.fill(rpcs, RPC);
        // A rejected entry claims nothing; a request id or content hash claimed meanwhile by another transaction
        // → retry (replay). The claims and the assets go out pipelined; creators and parents once both succeeded.
        // Rows go in key order, so two batches sharing keys lock them in the same order and cannot deadlock.
        Integer[] byRequestId = new Integer[answered.size()];
        Arrays.setAll(byRequestId, k -> k);
        Arrays.sort(byRequestId, Comparator.comparing(answered::get));
        inserts.sort((x, y) -> Arrays.compareUnsigned(x.sha256(), y.sha256()));
        Uni<Void> claimed = assets.claim(db,
                Arrays.stream(byRequestId).map(answered::get).toArray(String[]::new), rpcs,
                Arrays.stream(byRequestId).map(answeredDigests::get).toArray(byte[][]::new),
                Arrays.stream(byRequestId).map(responses::get).toArray(byte[][]::new));
        Uni<Void> inserted = inserts.isEmpty() ? Uni.createFrom().voidItem() : assets.insertAssets(db, inserts, now);
        // Both statements' failures are collected: after a unique violation the other one fails too (the
        // transaction is aborted), whichever of them arrives first. Plain INSERTs write every row or fail.
        Uni<Void> writes = Uni.combine().all().unis(claimed, inserted).collectFailures().discardItems()
                .onFailure(AssetRegistrar::lostARace)
                .transform(e -> assumeAllNew ? new NotAllNew() : new ConcurrentRegistration());
        if (!inserts.isEmpty()) {
            writes = writes.chain(() -> Uni.combine().all().unis(assets.insertCreators(db, inserts),
                    assets.insertParents(db, inserts)).discardItems());
        }
        if (newDataset != null) {
            writes = writes.chain(() -> insertDataset(db, newDataset.id(), plan));
        }
        return writes;
    }

    /** A claim or asset INSERT met a stored key (one not looked up, or inserted first by a concurrent batch). */
    private static boolean lostARace(Throwable failure) {
        return AssetRepository.isUniqueViolation(failure) || failure instanceof CompositeException composite
                && composite.getCauses().stream().anyMatch(AssetRepository::isUniqueViolation);
    }

    private Uni<Void> insertDataset(SqlConnection db, UUID datasetId, DatasetPlan plan) {
        int n = plan.items().length;
        int batch = settings.datasetInsertBatchSize();
        return Multi.createFrom().range(0, (n + batch - 1) / batch)
                .onItem().transformToUniAndConcatenate(b -> {
                    int from = b * batch;
                    int to = Math.min(n, from + batch);
                    return datasets.insertMembers(db, datasetId, from, Arrays.copyOfRange(plan.itemIds(), from, to),
                            Arrays.copyOfRange(plan.items(), from, to));
                })
                .collect().last()
                .chain(() -> insertSubtrees(db, datasetId, plan.tree().storedSubtrees()))
                .chain(() -> datasets.aggregateItemCreators(db, datasetId));
    }

    /** The stored subtree hashes (about n/8 rows), in statements of tribute.registry.dataset-insert-batch-size. */
    private Uni<Void> insertSubtrees(SqlConnection db, UUID datasetId, List<Object[]> subtrees) {
        int batch = settings.datasetInsertBatchSize();
        return Multi.createFrom().range(0, (subtrees.size() + batch - 1) / batch)
                .onItem().transformToUniAndConcatenate(b -> datasets.insertSubtrees(db, datasetId,
                        subtrees.subList(b * batch, Math.min(subtrees.size(), (b + 1) * batch))))
                .collect().last().replaceWithVoid();
    }

    private static Outcome matchExisting(Asset requested, Asset existing) {
        Map<String, String> metadata = Map.of("asset_id", existing.getId(), "kind", existing.getKind().name());
        if (existing.getKind() != requested.getKind()) {
            return Outcome.failed(ERRORS.alreadyExists(ErrorReason.ERROR_REASON_ASSET_EXISTS_WITH_OTHER_KIND,
                    "an asset of another kind has this sha256", metadata));
        }
        if (!creatorSet(existing).equals(creatorSet(requested))) {
            return Outcome.failed(ERRORS.alreadyExists(ErrorReason.ERROR_REASON_ASSET_EXISTS_WITH_OTHER_CREATORS,
                    "an asset with this sha256 is registered with other creators",
                    Map.of("asset_id", existing.getId())));
        }
        return Outcome.ok(existing, false);
    }

    private static Set<String> creatorSet(Asset asset) {
        Set<String> creators = new HashSet<>();
        asset.getCreatorsList().forEach(c -> creators.add(c.getContributorId() + ":" + c.getSharePpm()));
        return creators;
    }

    private static StatusRuntimeException referenceError(Asset asset, Map<UUID, String> contributors,
            Map<UUID, Asset> parents) {
        for (CreatorShare creator : asset.getCreatorsList()) {
            if (!contributors.containsKey(UUID.fromString(creator.getContributorId()))) {
                return ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CONTRIBUTOR_NOT_FOUND,
                        "creator " + creator.getContributorId() + " is not a contributor",
                        Map.of("contributor_id", creator.getContributorId()));
            }
        }
        for (int j = 0; j < asset.getParentsCount(); j++) {
            AssetParent parent = asset.getParents(j);
            Asset found = parents.get(UUID.fromString(parent.getParentAssetId()));
            if (found == null) {
                return ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND,
                        "parent " + parent.getParentAssetId() + " is not a registered asset",
                        Map.of("asset_id", parent.getParentAssetId()));
            }
            if (!EdgeRules.allowed(asset.getKind(), parent.getEdgeType(), found.getKind())) {
                String field = "asset.parents[" + j + "].edge_type";
                return ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_EDGE_NOT_ALLOWED,
                        parent.getEdgeType().name() + " may not link a " + asset.getKind().name() + " to a "
                                + found.getKind().name(),
                        Map.of("field", field, "edge_type", parent.getEdgeType().name(),
                                "parent_kind", found.getKind().name()));
            }
        }
        return null;
    }

    private static NewAsset newAsset(RegisterAssetRequest request, OffsetDateTime now, Map<UUID, Asset> parents,
            DatasetPlan plan) {
        Asset asset = request.getAsset();
        List<CreatorShare> creators = new ArrayList<>(asset.getCreatorsList());
        creators.sort(Comparator.comparing(CreatorShare::getContributorId));
        List<AssetParent> declared = new ArrayList<>();
        for (AssetParent parent : asset.getParentsList()) {
            Asset found = parents.get(UUID.fromString(parent.getParentAssetId()));
            declared.add(parent.toBuilder().setParentSha256(found.getSha256()).setParentKind(found.getKind()).build());
        }
        declared.sort(Comparator.comparing(AssetParent::getParentAssetId).thenComparing(AssetParent::getEdgeTypeValue));
        UUID id = Ids.newId();
        Asset built = asset.toBuilder()
                .setId(id.toString())
                .clearCreators().addAllCreators(creators)
                .clearParents().addAllParents(declared)
                .setItemCount(plan.items() == null ? 0 : plan.items().length)
                .setRegisteredAt(AssetMapper.timestamp(now))
                .build();
        return new NewAsset(id, HEX.parseHex(asset.getSha256()), built);
    }

    /** A dataset's sorted member hashes, their asset ids and tree, or the error that rejects it. */
    record DatasetPlan(byte[][] items, UUID[] itemIds, DatasetTree tree, StatusRuntimeException error) {
        static final DatasetPlan NONE = new DatasetPlan(null, null, null, null);
    }

    /**
     * A batch written on the assumption that all its entries are new and accepted met one that is not (a stored
     * request id or hash, a rejection): roll back and register the batch the checked way.
     */
    static final class NotAllNew extends RuntimeException {
        NotAllNew() {
            super("an entry of the batch is not new", null, false, false);
        }
    }

    /** Another transaction registered one of the batch's content hashes first: roll back and retry. */
    static final class ConcurrentRegistration extends RuntimeException {
        ConcurrentRegistration() {
            super("a content hash of the batch was registered concurrently", null, false, false);
        }
    }
}
