package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.Deadline;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.client.RegistryClient;
import io.tribute.attribution.engine.AttributionEngine;
import io.tribute.attribution.engine.AttributionInput;
import io.tribute.attribution.engine.AttributionResult;
import io.tribute.attribution.engine.Evidence;
import io.tribute.attribution.engine.InfluenceScore;
import io.tribute.attribution.engine.LineageEdge;
import io.tribute.attribution.engine.LineageNode;
import io.tribute.attribution.engine.LineageSnapshot;
import io.tribute.attribution.engine.Policy;
import io.tribute.attribution.engine.Role;
import io.tribute.attribution.mapping.AttributionForms;
import io.tribute.attribution.mapping.AttributionForms.InputsWithoutNodes;
import io.tribute.attribution.mapping.AttributionForms.LineageParts;
import io.tribute.attribution.mapping.AttributionForms.RecordedEvidence;
import io.tribute.attribution.mapping.AttributionForms.RecordedOutput;
import io.tribute.common.Sha256;
import io.tribute.common.json.CanonicalJson;
import io.tribute.attribution.mapping.RegistryLineages;
import io.tribute.attribution.repository.AttributionRepository;
import io.tribute.attribution.repository.AttributionRepository.StoredAttribution;
import io.tribute.attribution.repository.AttributionPrecheckRepository;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.Output;
import io.tribute.attribution.v1.RecomputeAttributionResponse;
import io.tribute.common.Ids;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.GetLineageResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Attributes outputs: validates, reads the lineage from the registry (outside any transaction), runs the
 * engine, and hands the result to {@link AttributionAppender} (group commit); reads and recomputes stored attributions.
 */
@ApplicationScoped
public class AttributionService {

    private static final String RPC = "AttributeOutput";

    private final AttributionPrecheckRepository prechecks;
    private final RegistryClient registry;
    private final AttributionAppender appender;
    private final AttributionRepository attributions;
    private final TransparencyLog log;
    private final int maxInfluenceScores;
    private final int maxReviewAssets;
    private final int maxExplanations;
    private final Duration registryDeadline;

    public AttributionService(AttributionPrecheckRepository prechecks, RegistryClient registry,
            AttributionAppender appender, AttributionRepository attributions, TransparencyLog log,
            @ConfigProperty(name = "tribute.attribution.max-influence-scores") int maxInfluenceScores,
            @ConfigProperty(name = "tribute.attribution.max-review-assets") int maxReviewAssets,
            @ConfigProperty(name = "tribute.attribution.max-explanations-per-share") int maxExplanations,
            @ConfigProperty(name = "quarkus.grpc.clients.registry.deadline") Duration registryDeadline) {
        this.prechecks = prechecks;
        this.registry = registry;
        this.appender = appender;
        this.attributions = attributions;
        this.log = log;
        this.maxInfluenceScores = maxInfluenceScores;
        this.maxReviewAssets = maxReviewAssets;
        this.maxExplanations = maxExplanations;
        this.registryDeadline = registryDeadline;
    }

    /** @param callerDeadline the incoming call's deadline, or null when it has none */
    public Uni<AttributeOutputResponse> attribute(AttributeOutputRequest request, Deadline callerDeadline) {
        List<InfluenceScore> scores = AttributionRequestValidator.check(request, maxInfluenceScores, maxReviewAssets);
        Instant receivedAt = Instant.now();
        Deadline deadline = RegistryClient.earliest(callerDeadline, registryDeadline.toMillis());
        UUID policyId = request.getPolicyId().isEmpty() ? PolicyVersion.DEFAULT_POLICY_ID
                : UUID.fromString(request.getPolicyId());
        return prechecks.find(policyId, request.getPolicyVersion(), request.getRequestId()).chain(precheck -> {
            AttributeOutputResponse replayed = replayed(request, precheck.request());
            if (replayed != null) {
                return Uni.createFrom().item(replayed);
            }
            if (precheck.policy() == null) {
                throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_POLICY_NOT_FOUND, "no policy " + policyId,
                        Map.of("policy_id", policyId.toString()));
            }
            return compute(request, scores, receivedAt, precheck.policy(), deadline)
                    .chain(computed -> appender.store(request, computed));
        });
    }

    /** The first response when this request_id already completed (a replay needs no registry). */
    private static AttributeOutputResponse replayed(AttributeOutputRequest request, Object[] row) {
        return row == null || row[2] == null ? null : IdempotentRequests.replay(ERRORS, RPC, request.getRequestId(),
                IdempotentRequests.digest(RPC, request), row, AttributeOutputResponse.parser());
    }

    private Uni<AttributionWriter.Computed> compute(AttributeOutputRequest request, List<InfluenceScore> scores,
            Instant receivedAt, PolicyVersion policy, Deadline deadline) {
        // The engine and the canonical encoding are CPU work: done on a worker thread, they use every core
        // and leave the event loop (which serves all calls and the database I/O) free.
        return snapshot(request, deadline)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(snapshot -> computed(request, scores, receivedAt, policy, snapshot));
    }

    /** The lineage snapshot: the model's ancestors plus the prompt, the reviews and every scored asset. */
    private Uni<LineageSnapshot> snapshot(AttributeOutputRequest request, Deadline deadline) {
        Output output = request.getOutput();
        return registry.ancestors(output.getModelAssetId(), deadline).chain(lineage -> {
            Map<String, LineageNode> nodes = new LinkedHashMap<>();
            List<LineageEdge> edges = new ArrayList<>();
            for (var node : lineage.getNodesList()) {
                nodes.put(node.getAsset().getId(), RegistryLineages.node(node.getAsset(), node.getDatasetItemCreatorsList()));
            }
            lineage.getEdgesList().forEach(edge -> edges.add(RegistryLineages.edge(edge)));
            requireKind(nodes.get(output.getModelAssetId()), output.getModelAssetId(), "output.model_asset_id",
                    Set.of(io.tribute.attribution.engine.AssetKind.MODEL));
            List<String> extra = new ArrayList<>();
            if (!output.getPromptAssetId().isEmpty()) {
                extra.add(output.getPromptAssetId());
            }
            extra.addAll(output.getReviewAssetIdsList());
            request.getEvidence().getScoresList().forEach(score -> extra.add(score.getAssetId()));
            List<String> missing = extra.stream().filter(id -> !nodes.containsKey(id)).distinct().toList();
            return registry.assets(missing, deadline).chain(assets -> {
                List<String> datasets = new ArrayList<>();
                for (Asset asset : assets.values()) {
                    if (asset.getKind() == AssetKind.ASSET_KIND_DATASET) {
                        datasets.add(asset.getId());
                    } else {
                        nodes.put(asset.getId(), RegistryLineages.node(asset, List.of()));
                    }
                }
                return datasetsWithItemCreators(datasets, deadline, nodes);
            }).map(ignored -> {
                checkKinds(request, nodes);
                return new LineageSnapshot(new ArrayList<>(nodes.values()), edges);
            });
        });
    }

    /** Scored datasets outside the model's lineage: read as lineage roots, for their item creators. */
    private Uni<Void> datasetsWithItemCreators(List<String> datasets, Deadline deadline, Map<String, LineageNode> nodes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String dataset : datasets) {
            chain = chain.chain(() -> registry.ancestors(dataset, deadline).invoke((GetLineageResponse lineage) -> {
                var root = lineage.getNodesList().stream().filter(n -> n.getAsset().getId().equals(dataset))
                        .findFirst().orElseThrow();
                nodes.put(dataset, RegistryLineages.node(root.getAsset(), root.getDatasetItemCreatorsList()));
            }).replaceWithVoid());
        }
        return chain;
    }

    private static void checkKinds(AttributeOutputRequest request, Map<String, LineageNode> nodes) {
        Output output = request.getOutput();
        if (!output.getPromptAssetId().isEmpty()) {
            requireKind(nodes.get(output.getPromptAssetId()), output.getPromptAssetId(), "output.prompt_asset_id",
                    Set.of(io.tribute.attribution.engine.AssetKind.PROMPT));
        }
        for (String review : output.getReviewAssetIdsList()) {
            requireKind(nodes.get(review), review, "output.review_asset_ids",
                    Set.of(io.tribute.attribution.engine.AssetKind.REVIEW));
        }
        for (var score : request.getEvidence().getScoresList()) {
            requireKind(nodes.get(score.getAssetId()), score.getAssetId(), "evidence.scores",
                    Set.of(io.tribute.attribution.engine.AssetKind.DATA_ITEM,
                            io.tribute.attribution.engine.AssetKind.DATASET));
        }
    }

    private static void requireKind(LineageNode node, String assetId, String field,
            Set<io.tribute.attribution.engine.AssetKind> kinds) {
        if (node == null) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_NOT_FOUND, "asset " + assetId
                    + " is not registered", Map.of("asset_id", assetId, "field", field));
        }
        if (!kinds.contains(node.kind())) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ASSET_KIND_MISMATCH, "asset " + assetId + " is a "
                    + node.kind() + ", " + field + " needs " + kinds, Map.of("asset_id", assetId, "field", field));
        }
    }

    private AttributionWriter.Computed computed(AttributeOutputRequest request, List<InfluenceScore> scores,
            Instant receivedAt, PolicyVersion policyVersion, LineageSnapshot lineage) {
        Output output = request.getOutput();
        Instant producedAt = (output.hasProducedAt()
                ? Instant.ofEpochSecond(output.getProducedAt().getSeconds(), output.getProducedAt().getNanos())
                : receivedAt).truncatedTo(ChronoUnit.MICROS);
        RecordedOutput recorded = new RecordedOutput(output.getContentSha256(), output.getModelAssetId(),
                output.getPromptAssetId(), output.getReviewAssetIdsList(), output.getPlatformRef(),
                ChronoUnit.MICROS.between(Instant.EPOCH, producedAt));
        RecordedEvidence evidence = null;
        if (request.hasEvidence()) {
            evidence = new RecordedEvidence(request.getEvidence().getMethod(),
                    request.getEvidence().getMethodVersion(), scores);
        }
        Policy policy = AttributionForms.enginePolicy(policyVersion);
        Computation computation = compute(recorded, policyVersion.policyId.toString(), policyVersion.version, policy,
                evidence, lineage);
        Attribution.Builder attribution = Attribution.newBuilder()
                .setOutput(output.toBuilder().setProducedAt(timestamp(producedAt)))
                .setPolicyId(policyVersion.policyId.toString())
                .setPolicyVersion(policyVersion.version)
                .setEngineVersion(AttributionEngine.VERSION)
                .addAllShares(AttributionResults.shares(computation.result(), maxExplanations))
                .setLineageDigest(computation.lineageDigest())
                .setEvidenceDigest(computation.evidenceDigest())
                .setAttributionHash(computation.attributionHash());
        if (request.hasEvidence()) {
            attribution.setEvidenceMethod(evidence.method()).setEvidenceMethodVersion(evidence.methodVersion())
                    .setInfluenceScoreCount(evidence.scores().size());
        }
        Map<String, LineageNode> nodes = new LinkedHashMap<>();
        lineage.nodes().forEach(node -> nodes.put(node.assetId(), node));
        List<Map.Entry<String, Role>> outputAssets = new ArrayList<>();
        outputAssets.add(new SimpleEntry<>(output.getModelAssetId(), Role.MODEL_BUILDERS));
        if (!output.getPromptAssetId().isEmpty()) {
            outputAssets.add(new SimpleEntry<>(output.getPromptAssetId(), Role.PROMPT));
        }
        output.getReviewAssetIdsList().forEach(review -> outputAssets.add(new SimpleEntry<>(review, Role.REVIEW)));
        return new AttributionWriter.Computed(attribution.build(), policyVersion.policyId,
                OffsetDateTime.ofInstant(producedAt, ZoneOffset.UTC),
                request.hasEvidence() ? request.getEvidence().toByteArray() : null, computation.storedInputs(),
                computation.lineage().nodeIds().stream().map(UUID::fromString).toList(),
                computation.lineage().nodeForms(),
                AttributionResults.shareRows(computation.result()),
                AttributionResults.assetRows(computation.result(), nodes, outputAssets));
    }

    /**
     * The engine's result with the digests and hash of docs/attribution.md, "Canonical encoding", and the
     * canonical inputs in their stored form: without the lineage's node forms, stored once per asset.
     */
    record Computation(AttributionResult result, String lineageDigest, String evidenceDigest, String attributionHash,
            LineageParts lineage, InputsWithoutNodes storedInputs) {
    }

    static Computation compute(RecordedOutput output, String policyId, int policyVersion, Policy policy,
            RecordedEvidence evidence, LineageSnapshot lineage) {
        AttributionResult result = AttributionEngine.attribute(new AttributionInput(output.assets(), lineage,
                evidence == null ? null : new Evidence(evidence.scores()), policy));
        LineageParts lineageParts = AttributionForms.lineageParts(lineage);
        Map<String, Object> outputForm = AttributionForms.output(output);
        String evidenceJson = CanonicalJson.write(AttributionForms.evidence(evidence));
        String lineageDigest = Sha256.hex(lineageParts.json().getBytes(StandardCharsets.UTF_8));
        String evidenceDigest = evidence == null ? "" : Sha256.hex(evidenceJson.getBytes(StandardCharsets.UTF_8));
        String hash = Sha256.hex(CanonicalJson.encode(AttributionForms.hashed(outputForm, policyId,
                policyVersion, AttributionEngine.VERSION, lineageDigest, evidenceDigest,
                AttributionForms.shares(result))));
        InputsWithoutNodes inputs = AttributionForms.inputsWithoutNodes(CanonicalJson.write(outputForm),
                CanonicalJson.write(AttributionForms.policy(policyId, policyVersion, policy)), evidenceJson,
                lineageParts);
        return new Computation(result, lineageDigest, evidenceDigest, hash, lineageParts, inputs);
    }

    /** One attribution by id or output hash, with its evidence on request. */
    @WithSession
    public Uni<Attribution> get(String attributionId, String outputSha256, boolean includeEvidence) {
        Uni<StoredAttribution> stored = attributionId != null
                ? attributions.findById(UUID.fromString(attributionId))
                : attributions.findByOutput(outputSha256);
        return stored.map(found -> {
            if (found == null) {
                String key = attributionId != null ? attributionId : outputSha256;
                throw ERRORS.notFound(ErrorReason.ERROR_REASON_ATTRIBUTION_NOT_FOUND, "no attribution " + key,
                        Map.of(attributionId != null ? "attribution_id" : "output_sha256", key));
            }
            Attribution attribution = parse(found.record());
            if (includeEvidence && found.evidence() != null && found.evidence().length > 0) {
                try {
                    attribution = attribution.toBuilder()
                            .setEvidence(io.tribute.attribution.v1.Evidence.parseFrom(found.evidence())).build();
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("stored evidence of " + found.id() + " is unreadable", e);
                }
            }
            return attribution;
        });
    }

    /** The log index of an attribution (for inclusion proofs by attribution id). */
    @WithSession
    public Uni<Long> logIndex(String attributionId) {
        return attributions.findById(UUID.fromString(attributionId)).map(found -> {
            if (found == null) {
                throw ERRORS.notFound(ErrorReason.ERROR_REASON_ATTRIBUTION_NOT_FOUND, "no attribution " + attributionId,
                        Map.of("attribution_id", attributionId));
            }
            return found.logIndex();
        });
    }

    /** Recomputes a stored attribution from its stored canonical inputs and compares every digest. */
    @WithSession
    public Uni<RecomputeAttributionResponse> recompute(String attributionId, boolean includeInputs) {
        return attributions.findById(UUID.fromString(attributionId)).chain(found -> {
            if (found == null) {
                throw ERRORS.notFound(ErrorReason.ERROR_REASON_ATTRIBUTION_NOT_FOUND, "no attribution " + attributionId,
                        Map.of("attribution_id", attributionId));
            }
            Attribution stored = parse(found.record());
            return attributions.canonicalInputs(found.id()).chain(inputs -> log.leafData(found.logIndex())
                    .map(leaf -> recomputed(found, stored, inputs, leaf, includeInputs)));
        });
    }

    private static RecomputeAttributionResponse recomputed(StoredAttribution found, Attribution stored,
            byte[] canonicalInputs, byte[] leaf, boolean includeInputs) {
        RecomputeAttributionResponse.Builder response = RecomputeAttributionResponse.newBuilder()
                .setAttributionId(found.id().toString())
                .setStoredAttributionHash(found.attributionHash())
                .setEngineVersion(stored.getEngineVersion());
        if (includeInputs) {
            response.setCanonicalInputs(com.google.protobuf.ByteString.copyFrom(canonicalInputs));
        }
        boolean leafMatches = leaf != null && Arrays.equals(leaf, HexFormat.of().parseHex(found.attributionHash()));
        response.setLogLeafMatches(leafMatches);
        if (!AttributionEngine.VERSION.equals(stored.getEngineVersion())) {
            return response.setDetail("Engine version " + stored.getEngineVersion() + " is not the one this service runs ("
                    + AttributionEngine.VERSION + ").").build();
        }
        AttributionForms.StoredInputs inputs = AttributionForms.parse(canonicalInputs);
        Computation again = compute(inputs.output(), inputs.policyId(), inputs.policyVersion(), inputs.policy(),
                inputs.evidence(), inputs.lineage());
        boolean lineageMatches = again.lineageDigest().equals(stored.getLineageDigest());
        boolean evidenceMatches = again.evidenceDigest().equals(stored.getEvidenceDigest());
        boolean matches = again.attributionHash().equals(found.attributionHash());
        String detail = !lineageMatches ? "The stored lineage snapshot no longer hashes to the recorded lineage_digest."
                : !evidenceMatches ? "The stored evidence no longer hashes to the recorded evidence_digest."
                : !matches ? "The recomputed attribution_hash differs from the stored one."
                : !leafMatches ? "The log leaf at log_index is not the attribution_hash." : "";
        return response.setRecomputedAttributionHash(again.attributionHash())
                .setMatches(matches)
                .setLineageDigestMatches(lineageMatches)
                .setEvidenceDigestMatches(evidenceMatches)
                .setDetail(detail)
                .build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Timestamp timestamp(OffsetDateTime time) {
        return timestamp(time.toInstant());
    }

    private static Attribution parse(byte[] record) {
        try {
            return Attribution.parseFrom(record);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored attribution is unreadable", e);
        }
    }

    static UUID uuid(String text, String field) {
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw ERRORS.invalidArgument(field, "must be a UUID");
        }
        return id;
    }

}
