package io.tribute.cli.demo;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.Checkpoint;
import io.tribute.attribution.v1.Evidence;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetInclusionProofRequest;
import io.tribute.attribution.v1.GetInclusionProofResponse;
import io.tribute.attribution.v1.InfluenceScore;
import io.tribute.attribution.v1.Output;
import io.tribute.cli.CliFailure;
import io.tribute.cli.ExitCodes;
import io.tribute.cli.client.ChainClient;
import io.tribute.cli.client.ServiceClients;
import io.tribute.cli.command.RegisterCommand;
import io.tribute.cli.command.SettlementCommand;
import io.tribute.cli.command.WalletCommand;
import io.tribute.cli.output.ErrorReport;
import io.tribute.cli.output.Formats;
import io.tribute.cli.verify.CheckpointNote;
import io.tribute.cli.verify.InclusionProofCheck;
import io.tribute.cli.wallet.WalletKey;
import io.tribute.common.Ids;
import io.tribute.common.Sha256;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.ItemError;
import io.tribute.common.v1.Money;
import io.tribute.payout.v1.BatchRecipient;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.ListSettlementsRequest;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementState;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.GetManifestRequest;
import io.tribute.registry.v1.GetManifestResponse;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse;
import io.tribute.registry.v1.Verdict;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.registry.v1.VerifyContentResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tribute's story end to end against a running suite, told step by step: people and their proven wallets, a
 * dataset, an architecture, a base model and its finetune, a prompt, a reviewed output with influence evidence,
 * its attribution and explanation, revenue, an on-chain settlement, a logged attribution proven against the
 * signed checkpoint, and a tampered file caught. Every run uses fresh names and content, so it can be repeated.
 */
public final class DemoStory {

    /** How the demo reaches the chain and what it pays. */
    public record Settings(long chainId, String currency, BigInteger revenue, URI chainRpcUrl, Duration settlementTimeout,
            String logVerifierKey, Path workDirectory) {
    }

    private record Person(String key, String name, String role) {
    }

    private static final List<Person> PEOPLE = List.of(
            new Person("ada", "Ada Okafor", "curates the wildflower dataset"),
            new Person("ben", "Ben Ito", "wrote field notes (data items)"),
            new Person("chloe", "Chloé Martin", "wrote field notes (data items)"),
            new Person("dev", "Dev Raman", "designed the model architecture"),
            new Person("eli", "Eli Novak", "trained the base model"),
            new Person("fay", "Fay Zhou", "finetuned it"),
            new Person("gus", "Gus Lindqvist", "wrote the prompt"),
            new Person("hana", "Hana Sato", "reviewed the output"));

    private static final String DATASET = "wildflower dataset";
    private static final String DATASET_SCORE = "0.12";
    private static final Duration CHAIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PROOF_WAIT = Duration.ofSeconds(15);

    private final ServiceClients clients;
    private final Settings settings;
    private final PrintWriter out;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, String> contributorNames = new LinkedHashMap<>();
    private final Map<String, String> contributorIds = new LinkedHashMap<>();
    private final Map<String, WalletKey> wallets = new LinkedHashMap<>();
    private final Map<String, String> assetNames = new LinkedHashMap<>();
    private int step;

    public DemoStory(ServiceClients clients, Settings settings, PrintWriter out) {
        this.clients = clients;
        this.settings = settings;
        this.out = out;
    }

    /** Tells the story; throws (a gRPC status or a {@link CliFailure}) if a step that must succeed fails. */
    public DemoResult run() {
        preflight();
        say("Tribute demo (run %s) against registry %s, attribution %s, payout %s", run, clients.registryTarget(),
                clients.attributionTarget(), clients.payoutTarget());
        createContributorsWithWallets();
        List<DataItem> items = registerDataset();
        heading("An architecture, and a base model trained on the dataset");
        String architecture = register(AssetKind.ASSET_KIND_MODEL_ARCHITECTURE, "transformer architecture", "dev",
                "{\"arch\":\"decoder-only transformer\",\"layers\":24,\"d_model\":2048,\"run\":\"" + run + "\"}", List.of(),
                Map.of());
        String dataset = assetId(DATASET);
        String baseModel = register(AssetKind.ASSET_KIND_MODEL, "base model", "eli", "base model weights " + run,
                List.of(parent(dataset, EdgeType.EDGE_TYPE_TRAINED_ON), parent(architecture, EdgeType.EDGE_TYPE_USES_ARCHITECTURE)),
                Map.of("training.epochs", "3"));
        heading("A finetune of the base model, with a parameter adjustment");
        String adjustment = register(AssetKind.ASSET_KIND_PARAMETER_ADJUSTMENT, "LoRA adjustment", "fay",
                "LoRA delta rank 16 for alpine botany " + run, List.of(), Map.of("lora.rank", "16"));
        String finetune = register(AssetKind.ASSET_KIND_MODEL, "finetuned model", "fay", "finetuned weights " + run,
                List.of(parent(baseModel, EdgeType.EDGE_TYPE_FINETUNED_FROM), parent(adjustment, EdgeType.EDGE_TYPE_ADJUSTED_WITH),
                        parent(architecture, EdgeType.EDGE_TYPE_USES_ARCHITECTURE)),
                Map.of());
        heading("A prompt, an output, and its review");
        String prompt = register(AssetKind.ASSET_KIND_PROMPT, "prompt", "gus",
                "Describe the flowers of an alpine meadow in June. (" + run + ")", List.of(), Map.of());
        String outputText = "In June the meadow is blue with gentians, white with edelweiss and gold with arnica. (" + run + ")";
        String outputSha = hex(Sha256.digest(outputText.getBytes(StandardCharsets.UTF_8)));
        say("  output produced by the finetuned model: \"%s\"", outputText);
        say("    sha256 %s", outputSha);
        String review = register(AssetKind.ASSET_KIND_REVIEW, "review", "hana",
                "review of output " + outputSha + ": accurate, 5/5", List.of(), Map.of());
        Attribution attribution = attribute(outputSha, finetune, prompt, review, items);
        long shareSum = attribution.getSharesList().stream().mapToLong(AttributionShare::getSharePpm).sum();
        recordRevenue(attribution);
        SettlementOutcome settlement = settle();
        ProofOutcome proof = proveInclusion(attribution);
        Verdict[] verdicts = catchTampering(items.getFirst());
        heading("Done");
        say("  shares sum to %,d ppm; inclusion proof %s; checkpoint signature %s; tampered file %s; settlement %s.",
                shareSum, proof.proofVerified ? "verified" : "NOT verified",
                proof.signatureVerified ? "verified" : "NOT verified", verdictName(verdicts[1]),
                settlement.skipReason.isEmpty() ? settlement.state : "skipped (" + settlement.skipReason + ")");
        return new DemoResult(attribution, shareSum, verdicts[0], verdicts[1], proof.proofVerified, proof.signatureVerified,
                settlement.skipReason, settlement.state, settlement.transactionHashes, settlement.chainMatchesLedger);
    }

    // --- The steps -------------------------------------------------------------------------------------------

    private void preflight() {
        try {
            clients.registry().listContributors(ListContributorsRequest.newBuilder().setPageSize(1).build());
            clients.attribution().getCheckpoint(GetCheckpointRequest.getDefaultInstance());
            clients.payout().listSettlements(ListSettlementsRequest.newBuilder().setPageSize(1).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                throw new CliFailure(ExitCodes.UNAVAILABLE, "the Tribute suite is not running ("
                        + ErrorReport.of(e).lines().getFirst().replaceFirst("^error: ", "") + "; endpoints "
                        + clients.registryTarget() + ", " + clients.attributionTarget() + ", " + clients.payoutTarget()
                        + "). Start it in another terminal with ./suite run, then run the demo again.");
            }
            throw e;
        }
    }

    private void createContributorsWithWallets() {
        heading("Contributors, each proving a payout wallet by signature");
        for (Person person : PEOPLE) {
            Contributor contributor = clients.registry().createContributor(CreateContributorRequest.newBuilder()
                    .setRequestId(Ids.newId().toString())
                    .setContributor(Contributor.newBuilder().setDisplayName(person.name())
                            .setExternalRef("demo/" + run + "/" + person.key()))
                    .build()).getContributor();
            contributorIds.put(person.key(), contributor.getId());
            contributorNames.put(contributor.getId(), person.name());
            WalletKey wallet = WalletKey.generate();
            wallets.put(contributor.getId(), wallet);
            String account = WalletCommand.bind(clients, contributor.getId(), wallet, null, settings.chainId())
                    .getContributor().getPayoutAccount();
            say("  %-14s %-34s id %s", person.name(), person.role(), contributor.getId());
            say("  %-14s wallet %s bound (EIP-191 signature over a one-time challenge)", "", account);
        }
    }

    private record DataItem(String id, String sha256, byte[] content, String label) {
    }

    private List<DataItem> registerDataset() {
        heading("A dataset of data items, registered in one RegisterAssets stream");
        String[][] notes = {
            {"ben", "Gentiana verna: deep blue, five petals, flowers April to June above 1,500 m."},
            {"ben", "Leontopodium nivale: woolly white bracts, limestone screes, July."},
            {"ben", "Arnica montana: golden heads on acid grassland, June to August."},
            {"chloe", "Soldanella alpina: fringed violet bells at the snow's edge."},
            {"chloe", "Pulsatilla alpina: white cups, feathery seed heads by July."},
            {"ben+chloe", "Meadow survey, Col du Lautaret: 42 species in one square metre."},
        };
        List<RegisterAssetsRequest> stream = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (String[] note : notes) {
            byte[] content = (note[1] + " [" + run + "]").getBytes(StandardCharsets.UTF_8);
            String sha = hex(Sha256.digest(content));
            contents.add(content);
            hashes.add(sha);
            List<CreatorShare> creators = note[0].equals("ben+chloe")
                    ? List.of(share("ben", 500_000), share("chloe", 500_000))
                    : List.of(share(note[0], 1_000_000));
            stream.add(RegisterAssetsRequest.newBuilder().setAsset(RegisterAssetRequest.newBuilder()
                    .setRequestId(Ids.newId().toString())
                    .setAsset(Asset.newBuilder().setKind(AssetKind.ASSET_KIND_DATA_ITEM).setSha256(sha)
                            .setSizeBytes(content.length).setMediaType("text/plain; charset=utf-8").setLicense("CC-BY-4.0")
                            .addAllCreators(creators)))
                    .build());
        }
        String root = RegisterCommand.datasetRoot(hashes);
        stream.add(RegisterAssetsRequest.newBuilder().setAsset(RegisterAssetRequest.newBuilder()
                .setRequestId(Ids.newId().toString())
                .setAsset(Asset.newBuilder().setKind(AssetKind.ASSET_KIND_DATASET).setSha256(root)
                        .setDisplayName("Alpine wildflower field notes").setLicense("CC-BY-4.0")
                        .addCreators(share("ada", 1_000_000)))
                .addAllDatasetMemberSha256(hashes))
                .build());
        RegisterAssetsResponse response = clients.registerAssets(stream);
        for (RegisterAssetsResponse.Result result : response.getResultsList()) {
            if (result.hasError()) {
                throw new CliFailure(ExitCodes.FAILURE, "RegisterAssets entry " + result.getIndex() + " failed: "
                        + describe(result.getError()));
            }
        }
        List<DataItem> items = new ArrayList<>();
        for (int i = 0; i < notes.length; i++) {
            String id = response.getResults(i).getRegistered().getAssetId();
            String label = "data item " + (i + 1);
            assetNames.put(id, label);
            items.add(new DataItem(id, hashes.get(i), contents.get(i), label));
            say("  %-12s %-56s by %s", label, "\"" + abbreviate(notes[i][1], 52) + "\"", creatorsOf(notes[i][0]));
        }
        String datasetId = response.getResults(notes.length).getRegistered().getAssetId();
        assetNames.put(datasetId, DATASET);
        say("  %d created in one stream; dataset %s curated by %s", response.getCreatedCount(), datasetId,
                name("ada"));
        say("    its sha256 is the RFC 9162 Merkle root of the items' hashes: %s", root);
        return items;
    }

    private String register(AssetKind kind, String label, String creator, String content, List<AssetParent> parents,
            Map<String, String> attributes) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Asset asset = clients.registry().registerAsset(RegisterAssetRequest.newBuilder()
                .setRequestId(Ids.newId().toString())
                .setAsset(Asset.newBuilder().setKind(kind).setSha256(hex(Sha256.digest(bytes))).setSizeBytes(bytes.length)
                        .setDisplayName(label).addCreators(share(creator, 1_000_000)).addAllParents(parents)
                        .putAllAttributes(attributes))
                .build()).getAsset();
        assetNames.put(asset.getId(), label);
        StringBuilder lineage = new StringBuilder();
        for (AssetParent parent : asset.getParentsList()) {
            lineage.append(lineage.isEmpty() ? "  ← " : ", ")
                    .append(Formats.name(parent.getEdgeType(), "EDGE_TYPE_")).append(' ')
                    .append(assetNames.getOrDefault(parent.getParentAssetId(), parent.getParentAssetId()));
        }
        say("  %-24s %s by %s%s", label, asset.getId(), name(creator), lineage);
        return asset.getId();
    }

    private Attribution attribute(String outputSha, String model, String prompt, String review, List<DataItem> items) {
        heading("Attribution of the output, with the platform's influence scores");
        String[] scores = {"0.42", "0.17", "0", "0.08", "-0.03", "0.21"};
        Evidence.Builder evidence = Evidence.newBuilder().setMethod("TRAK").setMethodVersion("0.3.2");
        for (int i = 0; i < items.size(); i++) {
            evidence.addScores(InfluenceScore.newBuilder().setAssetId(items.get(i).id()).setScore(scores[i]));
            say("  influence of %-18s %6s%s", items.get(i).label(), scores[i],
                    scores[i].startsWith("-") ? "  (negative: counts as 0)" : "");
        }
        // The dataset as a whole is scored too, so its curator and (through it) its items' authors share in it.
        evidence.addScores(InfluenceScore.newBuilder().setAssetId(assetId(DATASET)).setScore(DATASET_SCORE));
        say("  influence of %-18s %6s", DATASET, DATASET_SCORE);
        Attribution attribution = clients.attribution().attributeOutput(AttributeOutputRequest.newBuilder()
                .setRequestId(Ids.newId().toString())
                .setOutput(Output.newBuilder().setContentSha256(outputSha).setModelAssetId(model).setPromptAssetId(prompt)
                        .addReviewAssetIds(review).setPlatformRef("demo/" + run))
                .setEvidence(evidence)
                .build()).getAttribution();
        say("");
        Formats.attribution(attribution, id -> contributorNames.getOrDefault(id, id), id -> assetNames.getOrDefault(id, id))
                .forEach(line -> say("  %s", line));
        return attribution;
    }

    private void recordRevenue(Attribution attribution) {
        heading("Revenue earned by the output, split exactly by the shares");
        RecordRevenueResponse response = clients.payout().recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(Ids.newId().toString()).setAttributionId(attribution.getId())
                .setAmount(Money.newBuilder().setAsset(settings.currency()).setAmount(settings.revenue().toString()))
                .setExternalRef("demo/" + run + "/invoice-1")
                .build());
        say("  %s base units of %s recorded (journal %s, platform fee %s)", settings.revenue(), settings.currency(),
                response.getJournal().getId(), response.getFeeAmount());
        Map<String, String> credits = new LinkedHashMap<>();
        for (JournalEntry entry : response.getJournal().getEntriesList()) {
            if (!entry.getAccount().getContributorId().isEmpty()) {
                credits.put(entry.getAccount().getContributorId(), entry.getCredit());
            }
        }
        for (AttributionShare share : attribution.getSharesList()) {
            say("    %-14s %11s  accrues %s", contributorNames.getOrDefault(share.getContributorId(), share.getContributorId()),
                    String.format(Locale.ROOT, "%,d ppm", share.getSharePpm()), credits.getOrDefault(share.getContributorId(), "0"));
        }
    }

    private record SettlementOutcome(String skipReason, String state, List<String> transactionHashes,
            boolean chainMatchesLedger) {
        static SettlementOutcome skipped(String reason) {
            return new SettlementOutcome(reason, "", List.of(), false);
        }
    }

    private SettlementOutcome settle() {
        heading("Settlement on-chain");
        ChainClient chain = new ChainClient(settings.chainRpcUrl(), CHAIN_TIMEOUT);
        try {
            say("  chain %s at %s", "eip155:" + chain.chainId(), chain.rpcUrl());
        } catch (IOException e) {
            String reason = "no chain answers at " + chain.rpcUrl() + " (set --chain-rpc or TRIBUTE_CHAIN_RPC)";
            say("  skipped: %s; the revenue stays accrued until a settlement runs", reason);
            return SettlementOutcome.skipped(reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SettlementOutcome.skipped("interrupted");
        }
        Settlement settlement;
        try {
            settlement = clients.payout().createSettlement(CreateSettlementRequest.newBuilder()
                    .setRequestId(Ids.newId().toString()).setCurrency(settings.currency()).setMinimumAmount("0").build())
                    .getSettlement();
        } catch (StatusRuntimeException e) {
            String reason = ErrorReport.of(e).lines().getFirst().replaceFirst("^error: ", "");
            say("  skipped: payout-service cannot settle here: %s", reason);
            if (e.getStatus().getCode() == Status.Code.INTERNAL || e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                say("  (payout-service needs the chain and the TributePayouts contract configured: see its log)");
            }
            return SettlementOutcome.skipped(reason);
        }
        say("  settlement %s: %d recipients in %d batches, total %s, against log checkpoint size %d root %s",
                settlement.getId(), settlement.getRecipientCount(), settlement.getBatchCount(), settlement.getTotalAmount(),
                settlement.getCheckpoint().getTreeSize(), settlement.getCheckpoint().getRootHash());
        try {
            SettlementCommand.watch(clients, settlement.getId(), settings.settlementTimeout(),
                    response -> say("    %s", SettlementCommand.describe(response.getEvent())));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                throw e;
            }
            say("    still not final after %ds; it goes on in the background (tribute settlement watch %s)",
                    settings.settlementTimeout().toSeconds(), settlement.getId());
        }
        Settlement last = clients.payout().getSettlement(GetSettlementRequest.newBuilder().setSettlementId(settlement.getId())
                .setIncludeRecipients(true).build()).getSettlement();
        SettlementCommand.describeBatches(last, line -> say("  %s", line));
        last.getBatchesList().stream().map(b -> b.getCheckpointRoot()).distinct().forEach(root -> say(
                "  recorded on-chain with the batch: attribution log root %s (%s the checkpoint it paid against)", root,
                root.equals("0x" + last.getCheckpoint().getRootHash()) ? "=" : "≠"));
        List<String> transactions = last.getBatchesList().stream().map(b -> b.getTxHash()).filter(h -> !h.isEmpty()).toList();
        boolean matches = last.getState() == SettlementState.SETTLEMENT_STATE_SETTLED && readChainBalances(chain, last);
        return new SettlementOutcome("", Formats.name(last.getState(), "SETTLEMENT_STATE_"), transactions, matches);
    }

    /** Prints each recipient's ledger balance beside its balance read from the chain; true if all agree. */
    private boolean readChainBalances(ChainClient chain, Settlement settlement) {
        say("  balances read back from the chain at %s (%s):", chain.rpcUrl(), settings.currency());
        boolean allMatch = true;
        for (var batch : settlement.getBatchesList()) {
            for (BatchRecipient recipient : batch.getRecipientsList()) {
                String address = recipient.getPayoutAccount().substring(recipient.getPayoutAccount().lastIndexOf(':') + 1);
                BigInteger paid = paidInLedger(recipient.getContributorId());
                try {
                    BigInteger onChain = chain.balanceOf(settings.currency(), address);
                    // Demo wallets are fresh keys: their whole balance is what Tribute paid them.
                    boolean match = onChain.equals(paid);
                    allMatch &= match;
                    say("    %-14s %s  on-chain %s  ledger paid %s  %s", contributorNames.getOrDefault(recipient.getContributorId(),
                            recipient.getContributorId()), address, onChain, paid, match ? "✓" : "✗");
                } catch (IOException e) {
                    say("    could not read the chain: %s", e.getMessage());
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return allMatch;
    }

    private BigInteger paidInLedger(String contributorId) {
        for (CurrencyBalance balance : clients.payout().getBalance(GetBalanceRequest.newBuilder()
                .setContributorId(contributorId).setCurrency(settings.currency()).build()).getBalancesList()) {
            return new BigInteger(balance.getPaid());
        }
        return BigInteger.ZERO;
    }

    private record ProofOutcome(boolean proofVerified, boolean signatureVerified) {
    }

    private ProofOutcome proveInclusion(Attribution attribution) {
        heading("The attribution is in the transparency log: inclusion proof against the signed checkpoint");
        GetInclusionProofResponse response = inclusionProof(attribution.getId());
        Checkpoint checkpoint = response.getCheckpoint();
        var proof = response.getProof();
        String leafHash = hex(InclusionProofCheck.leafHash(HexFormat.of().parseHex(attribution.getAttributionHash())));
        boolean leafMatches = leafHash.equals(proof.getLeafHash());
        boolean pathLeadsToRoot = InclusionProofCheck.verify(proof.getLeafIndex(), proof.getTreeSize(), leafHash,
                proof.getAuditPathList(), checkpoint.getRootHash());
        say("  leaf %d of %d: SHA-256(0x00 ‖ attribution hash) = %s %s", proof.getLeafIndex(), proof.getTreeSize(), leafHash,
                leafMatches ? "✓" : "✗ (the log's leaf differs)");
        say("  audit path of %d hashes recomputes the checkpoint root %s %s", proof.getAuditPathCount(),
                checkpoint.getRootHash(), pathLeadsToRoot ? "✓" : "✗");
        String key = settings.logVerifierKey();
        if (key == null || key.isBlank()) {
            key = checkpoint.getVerifierKey();
            say("  (no pinned log key given: checking with the key the service publishes; pin it with --log-key)");
        }
        Optional<CheckpointNote.Body> body = CheckpointNote.verify(checkpoint.getNote(), key);
        boolean signed = body.isPresent() && body.get().treeSize() == checkpoint.getTreeSize()
                && body.get().rootHashHex().equals(checkpoint.getRootHash()) && proof.getTreeSize() == checkpoint.getTreeSize();
        say("  checkpoint \"%s\" size %d signed with Ed25519 by %s %s", checkpoint.getOrigin(), checkpoint.getTreeSize(),
                checkpoint.getKeyName(), signed ? "✓ signature verified" : "✗ signature does NOT verify");
        return new ProofOutcome(leafMatches && pathLeadsToRoot, signed);
    }

    /** The proof against the latest checkpoint, waiting for a checkpoint that covers the new leaf. */
    private GetInclusionProofResponse inclusionProof(String attributionId) {
        long deadline = System.nanoTime() + PROOF_WAIT.toNanos();
        while (true) {
            try {
                return clients.attribution().getInclusionProof(GetInclusionProofRequest.newBuilder()
                        .setAttributionId(attributionId).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.OUT_OF_RANGE || System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    private Verdict[] catchTampering(DataItem item) {
        heading("A tampered file is caught by its signed manifest");
        GetManifestResponse manifest = clients.registry().getManifest(GetManifestRequest.newBuilder().setAssetId(item.id()).build());
        byte[] tampered = new String(item.content(), StandardCharsets.UTF_8).replace("five petals", "six petals")
                .getBytes(StandardCharsets.UTF_8);
        Path original = write(item.label().replace(' ', '-') + ".txt", item.content());
        Path edited = write(item.label().replace(' ', '-') + "-edited.txt", tampered);
        Path manifestFile = write(item.label().replace(' ', '-') + ".manifest.jws", manifest.getManifestJws().getBytes(StandardCharsets.UTF_8));
        say("  manifest of %s signed by key %s at registration", item.label(), manifest.getKeyId());
        VerifyContentResponse authentic = verify(item.content(), manifest.getManifestJws());
        say("  %-40s → %s: %s", original, verdictName(authentic.getVerdict()), authentic.getDetail());
        VerifyContentResponse modified = verify(tampered, manifest.getManifestJws());
        say("  %-40s → %s: %s", edited, verdictName(modified.getVerdict()), modified.getDetail());
        say("  (\"five petals\" became \"six petals\"; try: ./tribute verify %s --manifest %s)", edited, manifestFile);
        return new Verdict[] {authentic.getVerdict(), modified.getVerdict()};
    }

    private VerifyContentResponse verify(byte[] content, String manifestJws) {
        return clients.registry().verifyContent(VerifyContentRequest.newBuilder().setContent(ByteString.copyFrom(content))
                .setManifestJws(manifestJws).build());
    }

    // --- Helpers ---------------------------------------------------------------------------------------------

    private CreatorShare share(String person, int ppm) {
        return CreatorShare.newBuilder().setContributorId(contributorIds.get(person)).setSharePpm(ppm).build();
    }

    private static AssetParent parent(String assetId, EdgeType edge) {
        return AssetParent.newBuilder().setParentAssetId(assetId).setEdgeType(edge).build();
    }

    private String assetId(String label) {
        return assetNames.entrySet().stream().filter(e -> e.getValue().equals(label)).findFirst().orElseThrow().getKey();
    }

    private String name(String person) {
        return contributorNames.get(contributorIds.get(person));
    }

    private String creatorsOf(String people) {
        return String.join(" & ", Arrays.stream(people.split("\\+")).map(this::name).toList());
    }

    private Path write(String name, byte[] content) {
        try {
            Files.createDirectories(settings.workDirectory());
            return Files.write(settings.workDirectory().resolve(run + "-" + name), content);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot write " + name + ": " + e.getMessage());
        }
    }

    private void heading(String title) {
        out.printf("%n%d. %s%n", ++step, title);
        out.flush();
    }

    private void say(String format, Object... arguments) {
        out.println(arguments.length == 0 ? format : String.format(Locale.ROOT, format, arguments));
        out.flush();
    }

    private static String describe(ItemError error) {
        StringBuilder text = new StringBuilder(error.getReason()).append(": ").append(error.getMessage());
        error.getFieldViolationsList().forEach(v -> text.append("; ").append(v.getField()).append(": ").append(v.getDescription()));
        return text.toString();
    }

    private static String verdictName(Verdict verdict) {
        return verdict.name().substring("VERDICT_".length());
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.FAILURE, "interrupted");
        }
    }
}
