package io.tribute.registry.grpc;

import static io.tribute.registry.grpc.AssetFixtures.asset;
import static io.tribute.registry.grpc.AssetFixtures.contributor;
import static io.tribute.registry.grpc.AssetFixtures.parent;
import static io.tribute.registry.grpc.AssetFixtures.randomSha;
import static io.tribute.registry.grpc.AssetFixtures.register;
import static io.tribute.registry.grpc.AssetFixtures.request;
import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.BatchGetAssetsRequest;
import io.tribute.registry.v1.GetAssetRequest;
import io.tribute.registry.v1.ListAssetsRequest;
import io.tribute.registry.v1.ListAssetsResponse;
import io.tribute.registry.v1.LookupAssetRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetResponse;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class AssetRpcTest {

    private static final String DOMAIN = "registry.tribute.io";

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Test
    void registeredAssetIsReadBackByIdHashAndBatch() {
        String alice = contributor(registry);
        String bob = contributor(registry);
        String sha = randomSha();
        RegisterAssetResponse response = registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha,
                alice, bob).putAttributes("source", "crawl")));

        Asset created = response.getAsset();
        assertThat(response.getCreated()).isTrue();
        assertThat(UUID.fromString(created.getId()).version()).isEqualTo(7);
        assertThat(created.getCreatorsList()).extracting(CreatorShare::getContributorId)
                .containsExactlyElementsOf(List.of(alice, bob).stream().sorted().toList());
        assertThat(created.getCreatorsList()).extracting(CreatorShare::getSharePpm).containsOnly(500_000);
        assertThat(registry.getAsset(GetAssetRequest.newBuilder().setAssetId(created.getId()).build()).getAsset())
                .isEqualTo(created);
        assertThat(registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(sha).build()).getAsset())
                .isEqualTo(created);
        assertThat(registry.batchGetAssets(BatchGetAssetsRequest.newBuilder()
                .addAssetIds(created.getId()).addAssetIds(created.getId()).build()).getAssetsList())
                .containsExactly(created, created);
    }

    @Test
    void repeatedReadsAnswerTheSameAssetAsTheFirst() {
        String alice = contributor(registry);
        String bob = contributor(registry);
        Asset parent = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), bob));
        Asset created = register(registry, asset(AssetKind.ASSET_KIND_MODEL, randomSha(), alice, bob)
                .setDisplayName("Modèle « été » 模型 🚀").setUri("https://example.org/ü")
                .putAttributes("langue", "français")
                .addParents(parent(parent.getId(), EdgeType.EDGE_TYPE_TRAINED_ON)));

        // The first read fills the cache; the later ones are answered from it, with its strings held as bytes.
        for (int i = 0; i < 3; i++) {
            assertThat(registry.getAsset(GetAssetRequest.newBuilder().setAssetId(created.getId()).build())
                    .getAsset()).isEqualTo(created);
            assertThat(registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(created.getSha256()).build())
                    .getAsset()).isEqualTo(created);
        }
        assertThat(registry.batchGetAssets(BatchGetAssetsRequest.newBuilder().addAssetIds(parent.getId())
                .addAssetIds(created.getId()).build()).getAssetsList()).containsExactly(parent, created);
    }

    @Test
    void sameContentKindAndCreatorsReturnsTheExistingAsset() {
        String alice = contributor(registry);
        String sha = randomSha();
        Asset first = register(registry, asset(AssetKind.ASSET_KIND_PROMPT, sha, alice));

        RegisterAssetResponse again = registry.registerAsset(request(asset(AssetKind.ASSET_KIND_PROMPT, sha, alice)
                .setDisplayName("another name")));

        assertThat(again.getCreated()).isFalse();
        assertThat(again.getAsset()).isEqualTo(first);
    }

    @Test
    void sameContentWithOtherCreatorsIsRefusedNamingTheExistingAsset() {
        String sha = randomSha();
        Asset first = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, contributor(registry)));

        ErrorInfo info = assertFails(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha,
                contributor(registry)))), Status.Code.ALREADY_EXISTS, DOMAIN, "ASSET_EXISTS_WITH_OTHER_CREATORS");
        assertThat(info.getMetadataMap()).containsEntry("asset_id", first.getId());
    }

    @Test
    void sameContentOfAnotherKindIsRefused() {
        String alice = contributor(registry);
        String sha = randomSha();
        Asset first = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, alice));

        ErrorInfo info = assertFails(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_PROMPT, sha,
                alice))), Status.Code.ALREADY_EXISTS, DOMAIN, "ASSET_EXISTS_WITH_OTHER_KIND");
        assertThat(info.getMetadataMap()).containsEntry("asset_id", first.getId());
    }

    @Test
    void replayedRequestReturnsFirstResult() {
        RegisterAssetRequest request = request(asset(AssetKind.ASSET_KIND_REVIEW, randomSha(), contributor(registry)));

        RegisterAssetResponse first = registry.registerAsset(request);
        RegisterAssetResponse replay = registry.registerAsset(request);

        assertThat(replay).isEqualTo(first);
        assertThat(replay.getCreated()).isTrue();
    }

    @Test
    void reusedRequestIdWithAnotherRequestIsRefusedAndChangesNothing() {
        String alice = contributor(registry);
        RegisterAssetRequest first = request(asset(AssetKind.ASSET_KIND_REVIEW, randomSha(), alice));
        registry.registerAsset(first);
        String otherSha = randomSha();

        assertFails(() -> registry.registerAsset(first.toBuilder()
                .setAsset(asset(AssetKind.ASSET_KIND_REVIEW, otherSha, alice)).build()),
                Status.Code.ALREADY_EXISTS, DOMAIN, "REQUEST_ID_REUSED");
        assertNotRegistered(otherSha);
    }

    @Test
    void concurrentIdenticalRequestsRegisterOneAssetAndGetTheSameReply() throws Exception {
        RegisterAssetRequest request = request(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), contributor(registry)));
        List<RegisterAssetResponse> replies = inParallel(8, i -> request);

        assertThat(new HashSet<>(replies)).hasSize(1);
        assertThat(replies.getFirst().getCreated()).isTrue();
    }

    @Test
    void concurrentRegistrationsOfOneContentWithOtherRequestIdsYieldOneAsset() throws Exception {
        String alice = contributor(registry);
        String sha = randomSha();
        List<RegisterAssetResponse> replies = inParallel(8, i -> request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha,
                alice)));

        Set<String> ids = new HashSet<>();
        replies.forEach(reply -> ids.add(reply.getAsset().getId()));
        assertThat(ids).hasSize(1);
        assertThat(replies.stream().filter(RegisterAssetResponse::getCreated)).hasSize(1);
    }

    @Test
    void invalidRequestListsEveryViolationAndPersistsNothing() {
        String alice = contributor(registry);
        String sha = randomSha();
        RegisterAssetRequest request = RegisterAssetRequest.newBuilder()
                .setRequestId("not-a-uuid")
                .setAsset(asset(AssetKind.ASSET_KIND_UNSPECIFIED, sha, alice)
                        .setLicense("MIT OR")
                        .setUri("not a uri")
                        .addCreators(CreatorShare.newBuilder().setContributorId(alice).setSharePpm(1))
                        .putAttributes("Bad Key", "x"))
                .build();

        assertThat(violatedFields(() -> registry.registerAsset(request), DOMAIN)).contains("request_id",
                "asset.kind", "asset.uri", "asset.license", "asset.creators[1].contributor_id", "asset.creators",
                "asset.attributes[Bad Key]");
        assertNotRegistered(sha);
    }

    @Test
    void malformedHashAndSharesNotSummingToAMillionAreRefused() {
        String alice = contributor(registry);
        String sha = randomSha();
        Asset.Builder wrongSum = asset(AssetKind.ASSET_KIND_DATA_ITEM, sha, alice)
                .setCreators(0, CreatorShare.newBuilder().setContributorId(alice).setSharePpm(999_999));

        assertThat(violatedFields(() -> registry.registerAsset(request(wrongSum)), DOMAIN))
                .containsExactly("asset.creators");
        assertThat(violatedFields(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM,
                sha.toUpperCase(), alice))), DOMAIN)).containsExactly("asset.sha256");
        assertNotRegistered(sha);
    }

    @Test
    void tooManyCreatorsOrParentsAreRefused() {
        String sha = randomSha();
        String[] creators = new String[65];
        for (int i = 0; i < creators.length; i++) {
            creators[i] = UUID.randomUUID().toString();
        }
        assertThat(violatedFields(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATA_ITEM, sha,
                creators))), DOMAIN)).contains("asset.creators");
        Asset.Builder manyParents = asset(AssetKind.ASSET_KIND_MODEL, sha, contributor(registry));
        for (int i = 0; i < 1025; i++) {
            manyParents.addParents(parent(UUID.randomUUID().toString(), EdgeType.EDGE_TYPE_DERIVED_FROM));
        }
        assertThat(violatedFields(() -> registry.registerAsset(request(manyParents)), DOMAIN))
                .contains("asset.parents");
        assertNotRegistered(sha);
    }

    @Test
    void unknownCreatorIsAFailedPreconditionAndPersistsNothing() {
        String ghost = UUID.randomUUID().toString();
        RegisterAssetRequest request = request(asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), ghost));

        ErrorInfo info = assertFails(() -> registry.registerAsset(request), Status.Code.FAILED_PRECONDITION, DOMAIN,
                "CONTRIBUTOR_NOT_FOUND");
        assertThat(info.getMetadataMap()).containsEntry("contributor_id", ghost);
        assertNotRegistered(request.getAsset().getSha256());
        // The rejected request left no claim on its request_id: a corrected request may use it.
        RegisterAssetRequest corrected = request.toBuilder()
                .setAsset(asset(AssetKind.ASSET_KIND_DATA_ITEM, request.getAsset().getSha256(), contributor(registry)))
                .build();
        assertThat(registry.registerAsset(corrected).getCreated()).isTrue();
    }

    @Test
    void unknownParentIsAFailedPrecondition() {
        String missing = UUID.randomUUID().toString();
        String sha = randomSha();
        ErrorInfo info = assertFails(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_MODEL, sha,
                contributor(registry)).addParents(parent(missing, EdgeType.EDGE_TYPE_FINETUNED_FROM)))),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "ASSET_NOT_FOUND");
        assertThat(info.getMetadataMap()).containsEntry("asset_id", missing);
        assertNotRegistered(sha);
    }

    @Test
    void edgeNotAllowedBetweenTheTwoKindsIsRefused() {
        String alice = contributor(registry);
        Asset prompt = register(registry, asset(AssetKind.ASSET_KIND_PROMPT, randomSha(), alice));
        String sha = randomSha();

        ErrorInfo info = assertFails(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_MODEL, sha, alice)
                .addParents(parent(prompt.getId(), EdgeType.EDGE_TYPE_TRAINED_ON)))),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "EDGE_NOT_ALLOWED");
        assertThat(info.getMetadataMap()).containsEntry("edge_type", "EDGE_TYPE_TRAINED_ON")
                .containsEntry("parent_kind", "ASSET_KIND_PROMPT");
        assertNotRegistered(sha);
        assertThat(violatedFields(() -> registry.registerAsset(request(asset(AssetKind.ASSET_KIND_DATASET, sha, alice)
                .addParents(parent(prompt.getId(), EdgeType.EDGE_TYPE_CONTAINS)))), DOMAIN))
                .contains("asset.parents[0].edge_type");
    }

    @Test
    void trainedOnWeightsMustBeAllZeroOrSumToAMillion() {
        String alice = contributor(registry);
        Asset a = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        Asset b = register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice));
        String sha = randomSha();
        Asset.Builder partial = asset(AssetKind.ASSET_KIND_MODEL, sha, alice)
                .addParents(parent(a.getId(), EdgeType.EDGE_TYPE_TRAINED_ON).toBuilder().setWeightPpm(600_000))
                .addParents(parent(b.getId(), EdgeType.EDGE_TYPE_TRAINED_ON));

        assertThat(violatedFields(() -> registry.registerAsset(request(partial)), DOMAIN)).contains("asset.parents");
        assertNotRegistered(sha);

        Asset model = register(registry, asset(AssetKind.ASSET_KIND_MODEL, sha, alice)
                .addParents(parent(a.getId(), EdgeType.EDGE_TYPE_TRAINED_ON).toBuilder().setWeightPpm(600_000))
                .addParents(parent(b.getId(), EdgeType.EDGE_TYPE_TRAINED_ON).toBuilder().setWeightPpm(400_000)));
        assertThat(model.getParentsList()).extracting(AssetParent::getWeightPpm).containsOnly(600_000, 400_000);
        assertThat(model.getParentsList()).extracting(AssetParent::getParentKind)
                .containsOnly(AssetKind.ASSET_KIND_DATA_ITEM);
    }

    @Test
    void listAssetsFiltersByKindAndCreatorAndPaginates() {
        String alice = contributor(registry);
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            prompts.add(register(registry, asset(AssetKind.ASSET_KIND_PROMPT, randomSha(), alice)).getId());
        }
        register(registry, asset(AssetKind.ASSET_KIND_REVIEW, randomSha(), alice));
        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            ListAssetsResponse page = registry.listAssets(ListAssetsRequest.newBuilder().setPageSize(2)
                    .setKind(AssetKind.ASSET_KIND_PROMPT).setCreatorId(alice).setPageToken(token).build());
            assertThat(page.getAssetsCount()).isLessThanOrEqualTo(2);
            page.getAssetsList().forEach(asset -> seen.add(asset.getId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(seen).containsExactlyElementsOf(prompts);
        assertFails(() -> registry.listAssets(ListAssetsRequest.newBuilder().setPageToken("garbage").build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
    }

    @Test
    void unknownIdsAndHashesAreNotFound() {
        String id = UUID.randomUUID().toString();
        assertFails(() -> registry.getAsset(GetAssetRequest.newBuilder().setAssetId(id).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
        ErrorInfo info = assertFails(() -> registry.batchGetAssets(BatchGetAssetsRequest.newBuilder()
                .addAssetIds(id).build()), Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
        assertThat(info.getMetadataMap()).containsEntry("asset_id", id).containsEntry("missing_count", "1");
        assertThat(violatedFields(() -> registry.getAsset(GetAssetRequest.newBuilder().setAssetId("x").build()),
                DOMAIN)).containsExactly("asset_id");
    }

    @Test
    void concurrentReadsReadTogetherEachGetTheirOwnAnswer() throws Exception {
        String alice = contributor(registry);
        List<Asset> registered = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            registered.add(register(registry, asset(AssetKind.ASSET_KIND_DATA_ITEM, randomSha(), alice)));
        }
        String unknownSha = randomSha();
        String unknownId = UUID.randomUUID().toString();
        int callers = 64;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Asset expected = registered.get(i % registered.size());
                boolean unknown = i % 8 == 7;
                boolean byHash = i % 2 == 0;
                answers.add(pool.submit(() -> {
                    try {
                        Asset found = byHash
                                ? registry.lookupAsset(LookupAssetRequest.newBuilder()
                                        .setSha256(unknown ? unknownSha : expected.getSha256()).build()).getAsset()
                                : registry.getAsset(GetAssetRequest.newBuilder()
                                        .setAssetId(unknown ? unknownId : expected.getId()).build()).getAsset();
                        return found.equals(expected) ? "ok" : "wrong asset " + found.getId();
                    } catch (io.grpc.StatusRuntimeException e) {
                        return unknown && e.getStatus().getCode() == Status.Code.NOT_FOUND ? "ok" : e.toString();
                    }
                }));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertNotRegistered(String sha) {
        assertFails(() -> registry.lookupAsset(LookupAssetRequest.newBuilder().setSha256(sha).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ASSET_NOT_FOUND");
    }

    private List<RegisterAssetResponse> inParallel(int n, java.util.function.IntFunction<RegisterAssetRequest> requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<RegisterAssetResponse>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RegisterAssetRequest request = requests.apply(i);
                futures.add(pool.submit(() -> registry.registerAsset(request)));
            }
            List<RegisterAssetResponse> replies = new ArrayList<>();
            for (Future<RegisterAssetResponse> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
