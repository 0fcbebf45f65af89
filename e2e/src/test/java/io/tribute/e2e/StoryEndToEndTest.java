package io.tribute.e2e;

import static io.tribute.e2e.Settlements.amount;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.Checkpoint;
import io.tribute.attribution.v1.Evidence;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetConsistencyProofRequest;
import io.tribute.attribution.v1.GetConsistencyProofResponse;
import io.tribute.attribution.v1.GetInclusionProofRequest;
import io.tribute.attribution.v1.GetInclusionProofResponse;
import io.tribute.attribution.v1.InfluenceScore;
import io.tribute.attribution.v1.Output;
import io.tribute.attribution.v1.RecomputeAttributionRequest;
import io.tribute.attribution.v1.RecomputeAttributionResponse;
import io.tribute.attribution.v1.ShareExplanation;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.MerkleInclusionProof;
import io.tribute.common.v1.Money;
import io.tribute.e2e.People.Person;
import io.tribute.payout.chain.BatchPaidEvent;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.payout.v1.Settlement;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.GetManifestRequest;
import io.tribute.registry.v1.GetMembershipProofRequest;
import io.tribute.registry.v1.ListSigningKeysRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.Verdict;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.testing.Rfc9162Verifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tribute's story through gRPC against the three real service processes, every figure checked: people bind wallets by
 * signature; a dataset of data items, an architecture, a base model trained on the dataset and a finetune of it with
 * a parameter adjustment are registered; a prompted output of the finetune, reviewed, is attributed with influence
 * evidence; its revenue is recorded and settled on-chain. The checks use independent implementations where one
 * exists: RFC 9162 proofs by {@link Rfc9162Verifier}, manifests by jose4j, checkpoints by {@link SignedNotes}.
 */
class StoryEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final BigInteger REVENUE = new BigInteger("123456789012345678901");
    private static final HexFormat HEX = HexFormat.of();

    private static TributeSuite suite;
    private static People people;
    private static Settlements settlements;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = TributeSuite.shared();
        people = new People(suite);
        settlements = new Settlements(suite);
    }

    @Test
    void anOutputIsAttributedToEveryoneBehindItAndPaidOnChainExactlyAsTheLedgerRecords() throws Exception {
        suite.chain.anvil.setAutomine(true);
        Person curator = people.withWallet("ada");
        Person writer = people.withWallet("ben");
        Person photographer = people.withWallet("chloe");
        Person architect = people.withWallet("dev");
        Person trainer = people.withWallet("eli");
        Person finetuner = people.withWallet("fay");
        Person prompter = people.withWallet("gus");
        Person reviewer = people.withWallet("hana");
        List<Person> everyone = List.of(curator, writer, photographer, architect, trainer, finetuner, prompter,
                reviewer);

        // A dataset of four data items, registered with the dataset in one stream.
        List<byte[]> notes = List.of(note("Gentiana verna flowers April to June"), note("Leontopodium on screes"),
                note("Arnica montana on acid grassland"), note("Soldanella at the snow's edge"));
        List<String> itemHashes = notes.stream().map(StoryEndToEndTest::sha256).toList();
        List<Person> itemCreators = List.of(writer, writer, photographer, photographer);
        List<RegisterAssetsRequest> stream = new ArrayList<>();
        for (int i = 0; i < notes.size(); i++) {
            stream.add(RegisterAssetsRequest.newBuilder().setAsset(registration(Asset.newBuilder()
                    .setKind(AssetKind.ASSET_KIND_DATA_ITEM).setSha256(itemHashes.get(i))
                    .setSizeBytes(notes.get(i).length).setMediaType("text/plain").setLicense("CC-BY-4.0")
                    .addCreators(creator(itemCreators.get(i))))).build());
        }
        String datasetRoot = HEX.formatHex(Rfc9162Verifier.treeHash(
                itemHashes.stream().sorted().map(HEX::parseHex).toList()));
        stream.add(RegisterAssetsRequest.newBuilder().setAsset(registration(Asset.newBuilder()
                        .setKind(AssetKind.ASSET_KIND_DATASET).setSha256(datasetRoot).setLicense("CC-BY-4.0")
                        .setDisplayName("alpine field notes").addCreators(creator(curator)))
                .toBuilder().addAllDatasetMemberSha256(itemHashes)).build());
        RegisterAssetsResponse registered = people.registerAssets(stream);
        assertThat(registered.getResultsList()).hasSize(5).allSatisfy(result -> assertThat(result.hasError())
                .as("%s", result).isFalse());
        assertThat(registered.getCreatedCount()).isEqualTo(5);
        List<String> items = registered.getResultsList().subList(0, 4).stream()
                .map(result -> result.getRegistered().getAssetId()).toList();
        String dataset = registered.getResults(4).getRegistered().getAssetId();
        assertMemberOfDataset(dataset, datasetRoot, itemHashes.get(2));

        String architecture = people.asset(AssetKind.ASSET_KIND_MODEL_ARCHITECTURE, new Person[] {architect});
        String baseModel = people.asset(AssetKind.ASSET_KIND_MODEL, new Person[] {trainer},
                People.parent(dataset, EdgeType.EDGE_TYPE_TRAINED_ON),
                People.parent(architecture, EdgeType.EDGE_TYPE_USES_ARCHITECTURE));
        String adjustment = people.asset(AssetKind.ASSET_KIND_PARAMETER_ADJUSTMENT, new Person[] {finetuner});
        String finetune = people.asset(AssetKind.ASSET_KIND_MODEL, new Person[] {finetuner},
                People.parent(baseModel, EdgeType.EDGE_TYPE_FINETUNED_FROM),
                People.parent(adjustment, EdgeType.EDGE_TYPE_ADJUSTED_WITH),
                People.parent(architecture, EdgeType.EDGE_TYPE_USES_ARCHITECTURE));
        String prompt = people.asset(AssetKind.ASSET_KIND_PROMPT, new Person[] {prompter});
        String review = people.asset(AssetKind.ASSET_KIND_REVIEW, new Person[] {reviewer});

        // The output, reviewed, with the platform's influence scores for the data items.
        Evidence.Builder evidence = Evidence.newBuilder().setMethod("trak").setMethodVersion("1");
        List<String> scores = List.of("0.40", "0.10", "0.30", "-0.20");
        for (int i = 0; i < items.size(); i++) {
            evidence.addScores(InfluenceScore.newBuilder().setAssetId(items.get(i)).setScore(scores.get(i)));
        }
        String outputSha256 = sha256(note("In June the meadow is blue with gentians"));
        Attribution attribution = suite.attribution().attributeOutput(AttributeOutputRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setOutput(Output.newBuilder().setContentSha256(outputSha256).setModelAssetId(finetune)
                        .setPromptAssetId(prompt).addReviewAssetIds(review).setPlatformRef("e2e/story"))
                .setEvidence(evidence)
                .build()).getAttribution();

        Map<String, Integer> sharePpm = attribution.getSharesList().stream()
                .collect(Collectors.toMap(AttributionShare::getContributorId, AttributionShare::getSharePpm));
        assertThat(sharePpm.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_000_000);
        // Everyone behind the output is credited but the curator: with influence evidence, the data role goes to
        // the scored items' creators (the item scored below zero counts for nothing; its creator has another).
        List<Person> credited = everyone.stream().filter(person -> person != curator).toList();
        assertThat(sharePpm.keySet()).containsExactlyInAnyOrderElementsOf(credited.stream().map(Person::id).toList());
        assertThat(sharePpm.values()).allSatisfy(ppm -> assertThat(ppm).isPositive());
        for (AttributionShare share : attribution.getSharesList()) {
            assertExplained(share, finetune, prompt, review);
        }
        RecomputeAttributionResponse recomputed = suite.attribution().recomputeAttribution(
                RecomputeAttributionRequest.newBuilder().setAttributionId(attribution.getId()).build());
        assertThat(recomputed.getMatches()).isTrue();
        assertThat(recomputed.getRecomputedAttributionHash()).isEqualTo(attribution.getAttributionHash());
        assertThat(recomputed.getLogLeafMatches()).isTrue();

        // Revenue split exactly by the shares: each credit is the exact pro-rata amount, rounded by at most one unit.
        RecordRevenueResponse revenue = suite.payout().recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString()).setAttributionId(attribution.getId())
                .setAmount(Money.newBuilder().setAsset(suite.currency()).setAmount(REVENUE.toString()))
                .build());
        Map<String, BigInteger> credits = contributorCredits(revenue);
        BigInteger fee = amount(revenue.getFeeAmount());
        assertThat(credits.values().stream().reduce(BigInteger.ZERO, BigInteger::add).add(fee)).isEqualTo(REVENUE);
        BigInteger distributed = REVENUE.subtract(fee);
        sharePpm.forEach((contributor, ppm) -> {
            BigInteger exactTimesMillion = distributed.multiply(BigInteger.valueOf(ppm));
            BigInteger creditTimesMillion = credits.get(contributor).multiply(BigInteger.valueOf(1_000_000));
            assertThat(creditTimesMillion.subtract(exactTimesMillion).abs())
                    .isLessThan(BigInteger.valueOf(1_000_000));
        });

        // Settled on-chain: every wallet holds exactly what the ledger says it was paid.
        Settlement settlement = settlements.awaitSettled(settlements.create());
        for (Person person : credited) {
            CurrencyBalance balance = settlements.balance(person);
            assertThat(amount(balance.getPaid())).as(person.name() + " paid").isEqualTo(credits.get(person.id()));
            assertThat(suite.chain.payer.tokenBalance(suite.chain.token, person.wallet()))
                    .as(person.name() + "'s tokens").isEqualTo(credits.get(person.id()));
            assertThat(balance.getAccrued()).isEqualTo("0");
        }
        assertThat(suite.chain.payer.tokenBalance(suite.chain.token, curator.wallet())).isZero();

        // The checkpoint the batches recorded on-chain is a checkpoint of the attribution log that holds the output.
        String anchoredRoot = settlement.getCheckpoint().getRootHash();
        List<BatchPaidEvent> events = suite.chain.payer.batchPaidEvents(suite.chain.payouts, 0,
                suite.chain.anvil.blockNumber());
        for (Batch batch : settlement.getBatchesList()) {
            assertThat(events).filteredOn(event -> event.batchId().equals(batch.getBatchId())).singleElement()
                    .satisfies(event -> {
                        assertThat(event.checkpointRoot()).isEqualTo("0x" + anchoredRoot);
                        assertThat(event.transactionHash()).isEqualTo(batch.getTxHash());
                        assertThat(event.totalAmount()).isEqualTo(amount(batch.getTotalAmount()));
                    });
        }
        Checkpoint latest = assertLogIncludes(attribution);
        assertConsistent(settlement.getCheckpoint().getTreeSize(), anchoredRoot, latest);

        // A manifest verifies offline with standard JOSE, and a changed byte is caught.
        String manifest = suite.registry().getManifest(GetManifestRequest.newBuilder()
                .setAssetId(items.getFirst()).build()).getManifestJws();
        assertManifestVerifiesOffline(manifest, items.getFirst(), itemHashes.getFirst(), writer);
        assertThat(verify(notes.getFirst(), manifest)).isEqualTo(Verdict.VERDICT_AUTHENTIC);
        byte[] tampered = notes.getFirst().clone();
        tampered[0] ^= 1;
        assertThat(verify(tampered, manifest)).isEqualTo(Verdict.VERDICT_MODIFIED);
    }

    private static void assertMemberOfDataset(String dataset, String datasetRoot, String itemSha256) {
        MerkleInclusionProof proof = suite.registry().getMembershipProof(GetMembershipProofRequest.newBuilder()
                .setDatasetAssetId(dataset).setItemSha256(itemSha256).build()).getProof();
        assertThat(proof.getRootHash()).isEqualTo(datasetRoot);
        assertThat(Rfc9162Verifier.verifyInclusion(proof.getLeafIndex(), proof.getTreeSize(),
                Rfc9162Verifier.leafHash(HEX.parseHex(itemSha256)), hashes(proof.getAuditPathList()),
                HEX.parseHex(datasetRoot))).isTrue();
    }

    /** Each path starts at the asset the output names for its role; the paths add up to the share, to 1 ppm. */
    private static void assertExplained(AttributionShare share, String model, String prompt, String review) {
        assertThat(share.getExplanationsList()).isNotEmpty();
        long ppt = share.getOmittedContributionPpt();
        for (ShareExplanation explanation : share.getExplanationsList()) {
            assertThat(explanation.getAssetPathList().getFirst()).isIn(model, prompt, review);
            ppt += explanation.getContributionPpt();
        }
        assertThat(Math.abs(ppt - share.getSharePpm() * 1_000_000L)).as("share %s", share)
                .isLessThanOrEqualTo(1_000_000L + share.getExplanationsCount() + share.getOmittedPathCount());
    }

    /** The attribution's leaf is in the log under the latest signed checkpoint; returns that checkpoint. */
    private static Checkpoint assertLogIncludes(Attribution attribution) throws InterruptedException {
        GetInclusionProofResponse response = inclusionProof(attribution.getId());
        Checkpoint checkpoint = response.getCheckpoint();
        MerkleInclusionProof proof = response.getProof();
        byte[] leafHash = Rfc9162Verifier.leafHash(HEX.parseHex(attribution.getAttributionHash()));
        assertThat(proof.getLeafHash()).isEqualTo(HEX.formatHex(leafHash));
        assertThat(proof.getTreeSize()).isEqualTo(checkpoint.getTreeSize());
        assertThat(Rfc9162Verifier.verifyInclusion(proof.getLeafIndex(), proof.getTreeSize(), leafHash,
                hashes(proof.getAuditPathList()), HEX.parseHex(checkpoint.getRootHash()))).isTrue();
        assertSigned(checkpoint);
        return checkpoint;
    }

    /** The log at {@code firstSize} had {@code firstRoot}, and the latest checkpoint only appended to it. */
    private static void assertConsistent(long firstSize, String firstRoot, Checkpoint latest) {
        assertThat(firstSize).isBetween(1L, latest.getTreeSize());
        GetConsistencyProofResponse consistency = suite.attribution().getConsistencyProof(
                GetConsistencyProofRequest.newBuilder().setFirstTreeSize(firstSize)
                        .setSecondTreeSize(latest.getTreeSize()).build());
        assertThat(consistency.getFirstRootHash()).isEqualTo(firstRoot);
        if (firstSize == latest.getTreeSize()) {
            assertThat(latest.getRootHash()).isEqualTo(firstRoot);
        } else {
            assertThat(Rfc9162Verifier.verifyConsistency(firstSize, latest.getTreeSize(),
                    hashes(consistency.getProofList()), HEX.parseHex(firstRoot),
                    HEX.parseHex(latest.getRootHash()))).isTrue();
        }
    }

    private static void assertSigned(Checkpoint checkpoint) {
        SignedNotes.Body body = SignedNotes.verify(checkpoint.getNote(), checkpoint.getVerifierKey()).orElseThrow(
                () -> new AssertionError("checkpoint signature does not verify: " + checkpoint.getNote()));
        assertThat(body.treeSize()).isEqualTo(checkpoint.getTreeSize());
        assertThat(HEX.formatHex(body.rootHash())).isEqualTo(checkpoint.getRootHash());
        assertThat(body.origin()).isEqualTo(checkpoint.getOrigin());
    }

    private static void assertManifestVerifiesOffline(String manifest, String assetId, String sha256,
            Person creator) throws Exception {
        JsonWebKeySet keys = new JsonWebKeySet(suite.registry().listSigningKeys(
                ListSigningKeysRequest.getDefaultInstance()).getJwksJson());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(manifest);
        jws.setKey(new VerificationJwkSelector().select(jws, keys.getJsonWebKeys()).getKey());
        assertThat(jws.verifySignature()).isTrue();
        Map<String, Object> payload = JsonUtil.parseJson(jws.getPayload());
        @SuppressWarnings("unchecked")
        Map<String, Object> asset = (Map<String, Object>) payload.get("asset");
        assertThat(asset).containsEntry("id", assetId).containsEntry("sha256", sha256);
        assertThat(payload.get("creators")).asString().contains(creator.id())
                .contains("eip155:" + suite.chain.anvil.chainId() + ":" + creator.wallet());
    }

    private static Verdict verify(byte[] content, String manifest) {
        return suite.registry().verifyContent(VerifyContentRequest.newBuilder()
                .setContent(ByteString.copyFrom(content)).setManifestJws(manifest).build()).getVerdict();
    }

    /** The proof against the latest checkpoint, once a checkpoint covers the new leaf. */
    private static GetInclusionProofResponse inclusionProof(String attributionId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return suite.attribution().getInclusionProof(GetInclusionProofRequest.newBuilder()
                        .setAttributionId(attributionId).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.OUT_OF_RANGE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static Map<String, BigInteger> contributorCredits(RecordRevenueResponse revenue) {
        Map<String, BigInteger> credits = new LinkedHashMap<>();
        for (JournalEntry entry : revenue.getJournal().getEntriesList()) {
            String contributor = entry.getAccount().getContributorId();
            if (!contributor.isEmpty() && !entry.getCredit().isEmpty()) {
                credits.merge(contributor, amount(entry.getCredit()), BigInteger::add);
            }
        }
        assertThat(Set.copyOf(credits.values())).doesNotContain(BigInteger.ZERO);
        return credits;
    }


    private static RegisterAssetRequest registration(Asset.Builder asset) {
        return RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setAsset(asset).build();
    }

    private static CreatorShare creator(Person person) {
        return CreatorShare.newBuilder().setContributorId(person.id()).setSharePpm(1_000_000).build();
    }

    private static byte[] note(String text) {
        return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] content) {
        return HEX.formatHex(SignedNotes.sha256(content));
    }

    private static List<byte[]> hashes(List<String> hex) {
        return hex.stream().map(HEX::parseHex).toList();
    }
}
