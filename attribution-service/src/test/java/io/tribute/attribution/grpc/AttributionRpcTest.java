package io.tribute.attribution.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.attribution.RegistryServiceResource;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceBlockingStub;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.Evidence;
import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetInclusionProofRequest;
import io.tribute.attribution.v1.GetInclusionProofResponse;
import io.tribute.attribution.v1.InfluenceScore;
import io.tribute.attribution.v1.ListAttributionsRequest;
import io.tribute.attribution.v1.ListAttributionsResponse;
import io.tribute.attribution.v1.Output;
import io.tribute.attribution.v1.RecomputeAttributionRequest;
import io.tribute.attribution.v1.RecomputeAttributionResponse;
import io.tribute.attribution.v1.ShareExplanation;
import io.tribute.common.Sha256;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.Role;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import io.tribute.testing.Rfc9162Verifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** AttributeOutput and the reads of attributions, against a real registry-service process and PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(RegistryServiceResource.class)
class AttributionRpcTest {

    private static final String DOMAIN = "attribution.tribute.io";
    private static final HexFormat HEX = HexFormat.of();

    @GrpcClient("attribution")
    AttributionServiceBlockingStub service;

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Inject
    Pool database;

    /**
     * The lineage of GoldenAttributionTest's worked example, registered for real: ft (alice) FINETUNED_FROM
     * base (bob 60 %, carol 40 %); ft TRAINED_ON item (heidi); base USES_ARCHITECTURE arch (dave) and
     * TRAINED_ON dataset (curator erin; items: three by frank, one by grace); prompt (ivan).
     */
    private final class Lineage {
        final Map<String, String> people = new LinkedHashMap<>();
        final String item;
        final String dataset;
        final String arch;
        final String base;
        final String ft;
        final String prompt;

        Lineage() {
            for (String name : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan")) {
                people.put(name, contributor(name));
            }
            item = register(asset(AssetKind.ASSET_KIND_DATA_ITEM, "heidi"));
            List<String> members = new ArrayList<>();
            for (String creator : List.of("frank", "frank", "frank", "grace")) {
                Asset member = registerFull(asset(AssetKind.ASSET_KIND_DATA_ITEM, creator));
                members.add(member.getSha256());
            }
            List<byte[]> sorted = members.stream().sorted().map(HEX::parseHex).toList();
            dataset = registry().registerAsset(RegisterAssetRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setAsset(asset(AssetKind.ASSET_KIND_DATASET, "erin")
                            .setSha256(HEX.formatHex(Rfc9162Verifier.treeHash(sorted))))
                    .addAllDatasetMemberSha256(members).build()).getAsset().getId();
            arch = register(asset(AssetKind.ASSET_KIND_MODEL_ARCHITECTURE, "dave"));
            base = register(asset(AssetKind.ASSET_KIND_MODEL)
                    .addCreators(share("bob", 600_000)).addCreators(share("carol", 400_000))
                    .addParents(parent(arch, EdgeType.EDGE_TYPE_USES_ARCHITECTURE))
                    .addParents(parent(dataset, EdgeType.EDGE_TYPE_TRAINED_ON)));
            ft = register(asset(AssetKind.ASSET_KIND_MODEL, "alice")
                    .addParents(parent(base, EdgeType.EDGE_TYPE_FINETUNED_FROM))
                    .addParents(parent(item, EdgeType.EDGE_TYPE_TRAINED_ON)));
            prompt = register(asset(AssetKind.ASSET_KIND_PROMPT, "ivan"));
        }

        String id(String name) {
            return people.get(name);
        }

        private Asset.Builder asset(AssetKind kind, String... creators) {
            Asset.Builder asset = Asset.newBuilder().setKind(kind).setSha256(randomSha()).setSizeBytes(1)
                    .setMediaType("text/plain").setLicense("CC-BY-4.0").setDisplayName(kind.name());
            for (String creator : creators) {
                asset.addCreators(share(creator, 1_000_000 / creators.length));
            }
            return asset;
        }

        private CreatorShare share(String name, int ppm) {
            return CreatorShare.newBuilder().setContributorId(id(name)).setSharePpm(ppm).build();
        }
    }

    @Test
    void outputIsAttributedAsTheWorkedExampleAndLogged() {
        Lineage lineage = new Lineage();
        AttributeOutputRequest request = request(lineage.ft, lineage.prompt, null);

        Attribution attribution = service.attributeOutput(request).getAttribution();

        // docs/attribution.md's worked example, with the same numbers.
        assertThat(sharesByName(attribution, lineage)).containsExactlyEntriesOf(ordered(
                "heidi", 358_975, "alice", 224_359, "ivan", 166_667, "frank", 70_000, "bob", 50_000,
                "erin", 40_000, "carol", 33_333, "dave", 33_333, "grace", 23_333));
        assertThat(attribution.getSharesList().stream().mapToInt(AttributionShare::getSharePpm).sum())
                .isEqualTo(1_000_000);
        ShareExplanation frank = share(attribution, lineage.id("frank")).getExplanations(0);
        assertThat(frank.getRole()).isEqualTo(Role.ROLE_TRAINING_DATA);
        assertThat(frank.getAssetPathList()).containsExactly(lineage.ft, lineage.base, lineage.dataset);
        assertThat(frank.getViaDatasetItems()).isTrue();
        assertThat(frank.getContributionPpt()).isEqualTo(70_000_000_000L);
        assertThat(attribution.getPolicyId()).isEqualTo("00000000-0000-7000-8000-000000000000");
        assertThat(attribution.getEngineVersion()).isEqualTo("1");
        assertThat(attribution.getLineageDigest()).matches("[0-9a-f]{64}");
        assertThat(attribution.getEvidenceDigest()).isEmpty();
        assertThat(attribution.getOutput().hasProducedAt()).isTrue();

        assertThat(service.getAttribution(GetAttributionRequest.newBuilder()
                .setAttributionId(attribution.getId()).build()).getAttribution()).isEqualTo(attribution);
        assertThat(service.getAttribution(GetAttributionRequest.newBuilder()
                .setOutputSha256(request.getOutput().getContentSha256()).build()).getAttribution()).isEqualTo(attribution);

        service.getCheckpoint(GetCheckpointRequest.getDefaultInstance());
        GetInclusionProofResponse proof = service.getInclusionProof(GetInclusionProofRequest.newBuilder()
                .setAttributionId(attribution.getId()).build());
        assertThat(proof.getAttributionHash()).isEqualTo(attribution.getAttributionHash());
        assertThat(proof.getProof().getLeafIndex()).isEqualTo(attribution.getLogIndex());
        assertThat(Rfc9162Verifier.verifyInclusion(attribution.getLogIndex(), proof.getProof().getTreeSize(),
                Rfc9162Verifier.leafHash(HEX.parseHex(attribution.getAttributionHash())),
                proof.getProof().getAuditPathList().stream().map(HEX::parseHex).toList(),
                HEX.parseHex(proof.getCheckpoint().getRootHash()))).isTrue();
    }

    @Test
    void influenceScoresSplitTheDataRoleAndAreKeptWithTheAttribution() {
        Lineage lineage = new Lineage();
        Evidence evidence = Evidence.newBuilder().setMethod("TRAK").setMethodVersion("0.3.2")
                .addScores(InfluenceScore.newBuilder().setAssetId(lineage.item).setScore("0.3"))
                .addScores(InfluenceScore.newBuilder().setAssetId(lineage.dataset).setScore("1e-1"))
                .build();

        Attribution attribution = service.attributeOutput(request(lineage.ft, null, evidence)).getAttribution();

        // No prompt: data 8/15, architecture 2/15, builders 1/3. Evidence: item 3/4 of the data role = 2/5
        // (heidi); dataset 2/15 → items 7/75 (frank 7/100, grace 7/300), curator 1/25 (erin). Model side
        // 7/15: ft passes 7/50 to base and keeps 49/150 (alice: builders only, evidence replaces TRAINED_ON);
        // base: builders 1/10 (bob 6/100, carol 4/100), architecture 1/25 (dave). The one leftover ppm goes to
        // alice (326,666.67).
        assertThat(sharesByName(attribution, lineage)).containsExactlyEntriesOf(ordered(
                "heidi", 400_000, "alice", 326_667, "frank", 70_000, "bob", 60_000, "carol", 40_000,
                "dave", 40_000, "erin", 40_000, "grace", 23_333));
        assertThat(attribution.getInfluenceScoreCount()).isEqualTo(2);
        assertThat(attribution.getEvidenceMethod()).isEqualTo("TRAK");
        assertThat(attribution.getEvidenceDigest()).matches("[0-9a-f]{64}");
        Attribution withEvidence = service.getAttribution(GetAttributionRequest.newBuilder()
                .setAttributionId(attribution.getId()).setIncludeEvidence(true).build()).getAttribution();
        assertThat(withEvidence.getEvidence()).isEqualTo(evidence);
    }

    @Test
    void recomputationFromTheStoredInputsReproducesTheHash() {
        Lineage lineage = new Lineage();
        Evidence evidence = Evidence.newBuilder().setMethod("TracIn").setMethodVersion("1")
                .addScores(InfluenceScore.newBuilder().setAssetId(lineage.item).setScore("-4"))
                .addScores(InfluenceScore.newBuilder().setAssetId(lineage.dataset).setScore("1.25e-7"))
                .build();
        Attribution attribution = service.attributeOutput(request(lineage.ft, lineage.prompt, evidence))
                .getAttribution();

        RecomputeAttributionResponse recomputed = service.recomputeAttribution(RecomputeAttributionRequest
                .newBuilder().setAttributionId(attribution.getId()).setIncludeInputs(true).build());

        assertThat(recomputed.getMatches()).isTrue();
        assertThat(recomputed.getLineageDigestMatches()).isTrue();
        assertThat(recomputed.getEvidenceDigestMatches()).isTrue();
        assertThat(recomputed.getLogLeafMatches()).isTrue();
        assertThat(recomputed.getRecomputedAttributionHash()).isEqualTo(attribution.getAttributionHash());
        assertThat(recomputed.getDetail()).isEmpty();
        assertThat(recomputed.getCanonicalInputs().toStringUtf8()).startsWith("{\"evidence\":{");
    }

    @Test
    void lineageNodesAreStoredOnceAndPutBackForRecomputation() {
        Lineage lineage = new Lineage();
        Evidence evidence = Evidence.newBuilder().setMethod("TracIn").setMethodVersion("1")
                .addScores(InfluenceScore.newBuilder().setAssetId(lineage.item).setScore("0.5")).build();
        List<Attribution> attributions = List.of(
                service.attributeOutput(request(lineage.ft, lineage.prompt, evidence)).getAttribution(),
                service.attributeOutput(request(lineage.ft, lineage.prompt, evidence)).getAttribution());
        String modelNode = "{\"asset_id\":\"" + lineage.ft + "\",";

        for (Attribution attribution : attributions) {
            Row stored = database.preparedQuery("""
                    SELECT convert_from(a.canonical_inputs, 'UTF8') AS inputs, cardinality(a.lineage_node_ids) AS nodes,
                           (SELECT count(*) FROM lineage_node n WHERE n.asset_id = ANY(a.lineage_node_ids)) AS stored
                    FROM attribution a WHERE a.attribution_id = $1""")
                    .execute(Tuple.of(UUID.fromString(attribution.getId()))).await().indefinitely().iterator().next();
            assertThat(stored.getString("inputs")).doesNotContain(modelNode);
            assertThat(stored.getInteger("nodes")).isEqualTo(6).isEqualTo(stored.getLong("stored").intValue());
            RecomputeAttributionResponse recomputed = service.recomputeAttribution(RecomputeAttributionRequest
                    .newBuilder().setAttributionId(attribution.getId()).setIncludeInputs(true).build());
            assertThat(recomputed.getMatches()).isTrue();
            assertThat(recomputed.getLineageDigestMatches()).isTrue();
            assertThat(recomputed.getCanonicalInputs().toStringUtf8()).contains(modelNode);
            String lineageJson = recomputed.getCanonicalInputs().toStringUtf8()
                    .replaceAll("^.*\"lineage\":(\\{.*\\}),\"output\":.*$", "$1");
            assertThat(Sha256.hex(lineageJson.getBytes(StandardCharsets.UTF_8))).isEqualTo(attribution.getLineageDigest());
        }
    }

    @Test
    void replayedRequestReturnsFirstResultAndAnOutputIsAttributedOnce() {
        Lineage lineage = new Lineage();
        AttributeOutputRequest request = request(lineage.ft, null, null);
        long sizeBefore = leafCount();

        Attribution first = service.attributeOutput(request).getAttribution();
        Attribution replayed = service.attributeOutput(request).getAttribution();

        assertThat(replayed).isEqualTo(first);
        AttributeOutputRequest sameOutput = request.toBuilder().setRequestId(UUID.randomUUID().toString()).build();
        var info = assertFails(() -> service.attributeOutput(sameOutput), Status.Code.ALREADY_EXISTS, DOMAIN,
                "OUTPUT_ALREADY_ATTRIBUTED");
        assertThat(info.getMetadataMap()).containsEntry("attribution_id", first.getId());
        AttributeOutputRequest reused = request.toBuilder().setOutput(request.getOutput().toBuilder()
                .setPlatformRef("other")).build();
        assertFails(() -> service.attributeOutput(reused), Status.Code.ALREADY_EXISTS, DOMAIN,
                "REQUEST_ID_REUSED");
        assertThat(leafCount()).isEqualTo(sizeBefore + 1);
    }

    @Test
    void concurrentAttributionsTakeContiguousLeavesWithOneEffectPerRequestId() throws Exception {
        Lineage lineage = new Lineage();
        List<AttributeOutputRequest> distinct = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            distinct.add(request(lineage.ft, i % 2 == 0 ? lineage.prompt : null, null));
        }
        // 50 calls at once: 40 requests, 10 of them sent twice, and one more output under a new request_id.
        List<AttributeOutputRequest> calls = new ArrayList<>(distinct);
        calls.addAll(distinct.subList(0, 9));
        AttributeOutputRequest sameOutput = distinct.get(39).toBuilder().setRequestId(UUID.randomUUID().toString())
                .build();
        calls.add(sameOutput);
        long sizeBefore = leafCount();

        List<Object> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> pending = new ArrayList<>();
            for (AttributeOutputRequest call : calls) {
                pending.add(pool.submit(() -> {
                    start.await();
                    try {
                        return service.withDeadlineAfter(60, TimeUnit.SECONDS).attributeOutput(call).getAttribution();
                    } catch (StatusRuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            for (Future<Object> result : pending) {
                results.add(result.get(90, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        // The output attributed under two request ids: one of them took effect, the other was refused.
        Object last = results.get(39);
        Object other = results.get(49);
        assertThat(List.of(last, other)).filteredOn(Attribution.class::isInstance).hasSize(1);
        StatusRuntimeException refused = (StatusRuntimeException) (last instanceof Attribution ? other : last);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        List<Attribution> attributed = new ArrayList<>();
        for (int i = 0; i < 39; i++) {
            attributed.add((Attribution) results.get(i));
        }
        attributed.add((Attribution) (last instanceof Attribution ? last : other));
        for (int i = 0; i < 9; i++) {
            assertThat(results.get(40 + i)).isEqualTo(results.get(i));
        }
        assertThat(attributed.stream().map(Attribution::getId).distinct()).hasSize(40);
        assertThat(attributed.stream().map(Attribution::getLogIndex).sorted().toList())
                .isEqualTo(java.util.stream.LongStream.range(sizeBefore, sizeBefore + 40).boxed().toList());
        assertThat(leafCount()).isEqualTo(sizeBefore + 40);
        for (Attribution attribution : attributed) {
            assertThat(service.getAttribution(GetAttributionRequest.newBuilder()
                    .setAttributionId(attribution.getId()).build()).getAttribution()).isEqualTo(attribution);
            GetInclusionProofResponse proof = service.getInclusionProof(GetInclusionProofRequest.newBuilder()
                    .setAttributionId(attribution.getId()).build());
            assertThat(Rfc9162Verifier.verifyInclusion(attribution.getLogIndex(), proof.getProof().getTreeSize(),
                    Rfc9162Verifier.leafHash(HEX.parseHex(attribution.getAttributionHash())),
                    proof.getProof().getAuditPathList().stream().map(HEX::parseHex).toList(),
                    HEX.parseHex(proof.getCheckpoint().getRootHash()))).isTrue();
        }
        // Each request id replays its own first result afterwards.
        assertThat(service.attributeOutput(distinct.get(5)).getAttribution()).isEqualTo(attributed.get(5));
    }

    @Test
    void badRequestsAreRefusedAndStoreNothing() {
        Lineage lineage = new Lineage();
        long sizeBefore = leafCount();
        AttributeOutputRequest malformed = AttributeOutputRequest.newBuilder().setRequestId("nope")
                .setOutput(Output.newBuilder().setContentSha256("ABC").setModelAssetId("x")
                        .addReviewAssetIds("y"))
                .setEvidence(Evidence.newBuilder().setMethod("TRAK").setMethodVersion("1")
                        .addScores(InfluenceScore.newBuilder().setAssetId(lineage.item).setScore("NaN"))
                        .addScores(InfluenceScore.newBuilder().setAssetId(lineage.item).setScore("1")))
                .build();

        assertThat(violatedFields(() -> service.attributeOutput(malformed), DOMAIN)).contains("request_id", "output.content_sha256", "output.model_asset_id",
                "output.review_asset_ids[0]", "evidence.scores[0].score", "evidence.scores[1].asset_id");

        assertFails(() -> service.attributeOutput(request(UUID.randomUUID().toString(), null, null)),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "ASSET_NOT_FOUND");
        assertFails(() -> service.attributeOutput(request(lineage.ft, lineage.item, null)),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "ASSET_KIND_MISMATCH");
        assertFails(() -> service.attributeOutput(request(lineage.prompt, null, null)),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "ASSET_KIND_MISMATCH");
        Output.Builder manyReviews = request(lineage.ft, null, null).getOutput().toBuilder();
        for (int i = 0; i < 65; i++) {
            manyReviews.addReviewAssetIds(UUID.randomUUID().toString());
        }
        assertFails(() -> service.attributeOutput(request(lineage.ft, null, null).toBuilder()
                .setOutput(manyReviews).build()), Status.Code.INVALID_ARGUMENT, DOMAIN, "LIMIT_EXCEEDED");
        assertThat(leafCount()).isEqualTo(sizeBefore);
    }

    @Test
    void listsFilterByContributorAssetAndPlatformRefInLogOrderPageByPage() {
        Lineage lineage = new Lineage();
        String ref = "list-" + UUID.randomUUID();
        List<Attribution> made = new ArrayList<>();
        for (String prompt : java.util.Arrays.asList(null, lineage.prompt, null)) {
            AttributeOutputRequest request = request(lineage.ft, prompt, null);
            made.add(service.attributeOutput(request.toBuilder()
                    .setOutput(request.getOutput().toBuilder().setPlatformRef(ref)).build()).getAttribution());
        }

        ListAttributionsResponse first = service.listAttributions(ListAttributionsRequest.newBuilder()
                .setPlatformRef(ref).setPageSize(2).build());
        assertThat(first.getAttributionsList()).extracting(Attribution::getId)
                .containsExactly(made.get(0).getId(), made.get(1).getId());
        assertThat(first.getAttributions(0).getShares(0).getExplanationsList()).isEmpty();
        ListAttributionsResponse second = service.listAttributions(ListAttributionsRequest.newBuilder()
                .setPlatformRef(ref).setPageSize(2).setPageToken(first.getNextPageToken()).build());
        assertThat(second.getAttributionsList()).extracting(Attribution::getId).containsExactly(made.get(2).getId());
        assertThat(second.getNextPageToken()).isEmpty();

        assertThat(service.listAttributions(ListAttributionsRequest.newBuilder()
                .setContributorId(lineage.id("ivan")).build()).getAttributionsList())
                .extracting(Attribution::getId).containsExactly(made.get(1).getId());
        assertThat(service.listAttributions(ListAttributionsRequest.newBuilder()
                .setAssetId(lineage.dataset).setIncludeExplanations(true).build()).getAttributionsList())
                .containsExactlyElementsOf(made);
        assertThat(service.listAttributions(ListAttributionsRequest.newBuilder()
                .setAssetId(lineage.prompt).setPlatformRef(ref).build()).getAttributionsList())
                .extracting(Attribution::getId).containsExactly(made.get(1).getId());
        assertFails(() -> service.listAttributions(ListAttributionsRequest.newBuilder()
                .setPlatformRef("other").setPageToken(first.getNextPageToken()).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
        assertThat(violatedFields(() -> service.listAttributions(ListAttributionsRequest.newBuilder()
                .setContributorId("x").build()), DOMAIN)).containsExactly("contributor_id");
    }

    @Test
    void registryDownFailsCleanlyWithinTheDeadlineAndTheRetrySucceedsOnce() throws Exception {
        Lineage lineage = new Lineage();
        AttributeOutputRequest request = request(lineage.ft, lineage.prompt, null);
        long sizeBefore = leafCount();

        RegistryServiceResource.stopRegistry();
        try {
            long started = System.nanoTime();
            StatusRuntimeException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> service.withDeadlineAfter(3, TimeUnit.SECONDS).attributeOutput(request));
            assertThat(failure.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(4_000);
            assertFails(() -> service.getAttribution(GetAttributionRequest.newBuilder()
                    .setOutputSha256(request.getOutput().getContentSha256()).build()),
                    Status.Code.NOT_FOUND, DOMAIN, "ATTRIBUTION_NOT_FOUND");
            assertThat(leafCount()).isEqualTo(sizeBefore);
        } finally {
            RegistryServiceResource.startRegistry();
        }

        Attribution stored = retryUntilRegistryAnswers(request);
        assertThat(service.attributeOutput(request).getAttribution()).isEqualTo(stored);
        assertThat(leafCount()).isEqualTo(sizeBefore + 1);
    }

    @Test
    void slowRegistryFailsWithDeadlineExceededAndStoresNothing() throws Exception {
        Lineage lineage = new Lineage();
        AttributeOutputRequest request = request(lineage.ft, null, null);
        long sizeBefore = leafCount();

        RegistryServiceResource.pauseRegistry();
        try {
            // The caller's deadline is the shorter one: the call ends within it.
            long started = System.nanoTime();
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                    () -> service.withDeadlineAfter(2, TimeUnit.SECONDS).attributeOutput(request))
                    .getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
            // The service's own registry deadline (quarkus.grpc.clients.registry.deadline, 5 s) is the shorter
            // one: the service answers DEADLINE_EXCEEDED itself, naming the registry.
            started = System.nanoTime();
            var info = assertFails(() -> service.withDeadlineAfter(30, TimeUnit.SECONDS).attributeOutput(request),
                    Status.Code.DEADLINE_EXCEEDED, DOMAIN, "PEER_UNAVAILABLE");
            assertThat(info.getMetadataMap()).containsEntry("peer", "registry");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(8_000);
        } finally {
            RegistryServiceResource.resumeRegistry();
        }
        assertFails(() -> service.getAttribution(GetAttributionRequest.newBuilder()
                .setOutputSha256(request.getOutput().getContentSha256()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ATTRIBUTION_NOT_FOUND");
        assertThat(leafCount()).isEqualTo(sizeBefore);

        Attribution stored = retryUntilRegistryAnswers(request);
        assertThat(service.attributeOutput(request).getAttribution()).isEqualTo(stored);
        assertThat(leafCount()).isEqualTo(sizeBefore + 1);
    }

    private Attribution retryUntilRegistryAnswers(AttributeOutputRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return service.attributeOutput(request).getAttribution();
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline || (e.getStatus().getCode() != Status.Code.UNAVAILABLE
                        && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** The injected stub carries a deadline fixed when it was created; each call gets a fresh one. */
    private RegistryServiceBlockingStub registry() {
        return registry.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private AttributeOutputRequest request(String model, String prompt, Evidence evidence) {
        Output.Builder output = Output.newBuilder().setContentSha256(randomSha()).setModelAssetId(model)
                .setPlatformRef("tests");
        if (prompt != null) {
            output.setPromptAssetId(prompt);
        }
        AttributeOutputRequest.Builder request = AttributeOutputRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setOutput(output);
        if (evidence != null) {
            request.setEvidence(evidence);
        }
        return request.build();
    }

    private long leafCount() {
        service.getCheckpoint(GetCheckpointRequest.getDefaultInstance());
        return service.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getCheckpoint().getTreeSize();
    }

    private String contributor(String name) {
        return registry().createContributor(CreateContributorRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributor(Contributor.newBuilder().setDisplayName(name).setExternalRef(name + "-" + UUID.randomUUID()))
                .build()).getContributor().getId();
    }

    private String register(Asset.Builder asset) {
        return registerFull(asset).getId();
    }

    private Asset registerFull(Asset.Builder asset) {
        return registry().registerAsset(RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setAsset(asset).build()).getAsset();
    }

    private static AssetParent parent(String id, EdgeType edge) {
        return AssetParent.newBuilder().setParentAssetId(id).setEdgeType(edge).build();
    }

    private static Map<String, Integer> sharesByName(Attribution attribution, Lineage lineage) {
        Map<String, String> names = new LinkedHashMap<>();
        lineage.people.forEach((name, id) -> names.put(id, name));
        Map<String, Integer> shares = new LinkedHashMap<>();
        attribution.getSharesList().forEach(share -> shares.put(names.get(share.getContributorId()), share.getSharePpm()));
        return sortedByShareThenName(shares);
    }

    /** Same order on both sides: share descending, then name (contributor ids are random UUIDs). */
    private static Map<String, Integer> sortedByShareThenName(Map<String, Integer> shares) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        shares.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    private static Map<String, Integer> ordered(Object... nameAndPpm) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPpm.length; i += 2) {
            map.put((String) nameAndPpm[i], (Integer) nameAndPpm[i + 1]);
        }
        return sortedByShareThenName(map);
    }

    private static AttributionShare share(Attribution attribution, String contributorId) {
        return attribution.getSharesList().stream().filter(s -> s.getContributorId().equals(contributorId))
                .findFirst().orElseThrow();
    }

    private static String randomSha() {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(UUID.randomUUID().toString().getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
