package io.tribute.attribution.mapping;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.tribute.attribution.PolicyVersion;
import io.tribute.attribution.engine.AssetKind;
import io.tribute.attribution.engine.AttributionInput;
import io.tribute.attribution.engine.AttributionResult;
import io.tribute.attribution.engine.ContributorShare;
import io.tribute.attribution.engine.Creator;
import io.tribute.attribution.engine.EdgeType;
import io.tribute.attribution.engine.Evidence;
import io.tribute.attribution.engine.InfluenceScore;
import io.tribute.attribution.engine.LineageEdge;
import io.tribute.attribution.engine.LineageNode;
import io.tribute.attribution.engine.LineageSnapshot;
import io.tribute.attribution.engine.OutputAssets;
import io.tribute.attribution.engine.PathCredit;
import io.tribute.attribution.engine.Policy;
import io.tribute.attribution.engine.Role;
import io.tribute.common.json.CanonicalJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical forms of an attribution's inputs and result (docs/attribution.md, "Canonical encoding"):
 * plain maps and lists that {@link io.tribute.common.json.CanonicalJson} encodes, and the way back from the stored inputs to the
 * engine's input for recomputation.
 */
public final class AttributionForms {

    private AttributionForms() {
    }

    /** The recorded output; {@code producedAtMicros} is microseconds since the Unix epoch. */
    public record RecordedOutput(String contentSha256, String modelAssetId, String promptAssetId,
            List<String> reviewAssetIds, String platformRef, long producedAtMicros) {

        public RecordedOutput {
            reviewAssetIds = reviewAssetIds.stream().sorted().toList();
        }

        public OutputAssets assets() {
            return new OutputAssets(modelAssetId, promptAssetId.isEmpty() ? null : promptAssetId, reviewAssetIds);
        }
    }

    /** The evidence as recorded: method, version and scores (normalized decimal strings, by asset id). */
    public record RecordedEvidence(String method, String methodVersion, List<InfluenceScore> scores) {

        public RecordedEvidence {
            scores = scores.stream().map(s -> new InfluenceScore(s.assetId(), normalize(s.score())))
                    .sorted(Comparator.comparing(InfluenceScore::assetId)).toList();
        }
    }

    public static BigDecimal normalize(BigDecimal score) {
        return score.signum() == 0 ? BigDecimal.ZERO : score.stripTrailingZeros();
    }

    public static Policy enginePolicy(PolicyVersion policy) {
        Map<Role, Long> weights = new EnumMap<>(Role.class);
        weights.put(Role.TRAINING_DATA, (long) policy.trainingDataPpm);
        weights.put(Role.ARCHITECTURE, (long) policy.architecturePpm);
        weights.put(Role.MODEL_BUILDERS, (long) policy.modelBuildersPpm);
        weights.put(Role.PROMPT, (long) policy.promptPpm);
        weights.put(Role.REVIEW, (long) policy.reviewPpm);
        return new Policy(weights, policy.finetuneUpstreamSharePpm, policy.depthLimit, policy.minimumSharePpm,
                policy.datasetItemFractionPpm);
    }

    public static Map<String, Object> output(RecordedOutput output) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("content_sha256", output.contentSha256());
        form.put("model_asset_id", output.modelAssetId());
        form.put("prompt_asset_id", output.promptAssetId());
        form.put("review_asset_ids", output.reviewAssetIds());
        form.put("platform_ref", output.platformRef());
        form.put("produced_at_micros", output.producedAtMicros());
        return form;
    }

    public static Map<String, Object> policy(String policyId, int version, Policy policy) {
        Map<String, Object> weights = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            weights.put(role.name(), policy.weight(role));
        }
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("policy_id", policyId);
        form.put("version", version);
        form.put("role_weights_ppm", weights);
        form.put("finetune_upstream_share_ppm", policy.finetuneUpstreamSharePpm());
        form.put("depth_limit", policy.depthLimit());
        form.put("minimum_share_ppm", policy.minimumSharePpm());
        form.put("dataset_item_fraction_ppm", policy.datasetItemFractionPpm());
        return form;
    }

    public static Map<String, Object> evidence(RecordedEvidence evidence) {
        if (evidence == null) {
            return null;
        }
        List<Object> scores = new ArrayList<>();
        for (InfluenceScore score : evidence.scores()) {
            scores.add(Map.of("asset_id", score.assetId(), "score", score.score().toPlainString()));
        }
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("method", evidence.method());
        form.put("method_version", evidence.methodVersion());
        form.put("scores", scores);
        return form;
    }

    /** The lineage snapshot: nodes by asset id, creators by contributor id, edges by (child, parent, type). */
    public static Map<String, Object> lineage(LineageSnapshot lineage) {
        return Map.of("nodes", lineage.nodes().stream().sorted(Comparator.comparing(LineageNode::assetId))
                .map(AttributionForms::node).toList(), "edges", edges(lineage));
    }

    private static Map<String, Object> node(LineageNode node) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("asset_id", node.assetId());
        form.put("kind", node.kind().name());
        form.put("creators", creators(node.creators()));
        form.put("item_creators", creators(node.itemCreators()));
        return form;
    }

    private static List<Object> edges(LineageSnapshot lineage) {
        List<Object> edges = new ArrayList<>();
        lineage.edges().stream().sorted(Comparator.comparing(LineageEdge::childId)
                .thenComparing(LineageEdge::parentId).thenComparing(LineageEdge::type)).forEach(edge -> {
            Map<String, Object> form = new LinkedHashMap<>();
            form.put("child", edge.childId());
            form.put("parent", edge.parentId());
            form.put("type", edge.type().name());
            form.put("weight_ppm", edge.weightPpm());
            edges.add(form);
        });
        return edges;
    }

    /**
     * A lineage snapshot's canonical JSON in parts: its edges, and each node's canonical JSON in the snapshot's
     * node order. A node is a registry asset, which never changes, so its form is stored once for every
     * attribution that names it.
     */
    public record LineageParts(String edgesJson, List<String> nodeIds, List<String> nodeForms) {

        /** The same bytes as encoding {@link #lineage(LineageSnapshot)}: RFC 8785 orders edges before nodes. */
        public String json() {
            return "{\"edges\":" + edgesJson + ",\"nodes\":[" + String.join(",", nodeForms) + "]}";
        }
    }

    public static LineageParts lineageParts(LineageSnapshot lineage) {
        List<LineageNode> nodes = lineage.nodes().stream().sorted(Comparator.comparing(LineageNode::assetId)).toList();
        return new LineageParts(CanonicalJson.write(edges(lineage)), nodes.stream().map(LineageNode::assetId).toList(),
                nodes.stream().map(node -> CanonicalJson.write(node(node))).toList());
    }

    /** The shares with every path that credited them (the complete, untruncated explanations). */
    public static List<Object> shares(AttributionResult result) {
        List<Object> shares = new ArrayList<>();
        for (ContributorShare share : result.shares()) {
            List<Object> paths = new ArrayList<>();
            for (PathCredit path : share.paths()) {
                Map<String, Object> form = new LinkedHashMap<>();
                form.put("role", path.role().name());
                form.put("asset_path", path.assetPath());
                form.put("contribution_ppt", path.contributionPpt());
                form.put("via_dataset_items", path.viaDatasetItems());
                paths.add(form);
            }
            Map<String, Object> form = new LinkedHashMap<>();
            form.put("contributor_id", share.contributorId());
            form.put("share_ppm", share.sharePpm());
            form.put("paths", paths);
            shares.add(form);
        }
        return shares;
    }

    /** What attribution_hash is the SHA-256 of. */
    public static Map<String, Object> hashed(Map<String, Object> output, String policyId, int policyVersion,
            String engineVersion, String lineageDigest, String evidenceDigest, List<Object> shares) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("output", output);
        form.put("policy_id", policyId);
        form.put("policy_version", policyVersion);
        form.put("engine_version", engineVersion);
        form.put("lineage_digest", lineageDigest);
        form.put("evidence_digest", evidenceDigest);
        form.put("shares", shares);
        return form;
    }

    /**
     * Canonical inputs as stored: without the lineage's node forms, which are stored once per asset, and the byte
     * offset where their comma-separated forms go back ({@link #withNodes}).
     */
    public record InputsWithoutNodes(byte[] bytes, int nodesAt) {
    }

    /** RFC 8785 orders the members evidence, lineage, output, policy, and a lineage's edges before its nodes. */
    public static InputsWithoutNodes inputsWithoutNodes(String outputJson, String policyJson, String evidenceJson,
            LineageParts lineage) {
        byte[] beforeNodes = ("{\"evidence\":" + evidenceJson + ",\"lineage\":{\"edges\":" + lineage.edgesJson()
                + ",\"nodes\":[").getBytes(StandardCharsets.UTF_8);
        byte[] afterNodes = ("]},\"output\":" + outputJson + ",\"policy\":" + policyJson + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(beforeNodes, beforeNodes.length + afterNodes.length);
        System.arraycopy(afterNodes, 0, bytes, beforeNodes.length, afterNodes.length);
        return new InputsWithoutNodes(bytes, beforeNodes.length);
    }

    /** The canonical inputs again: the node forms (comma-separated, in node order) put back at their offset. */
    public static byte[] withNodes(byte[] withoutNodes, int nodesAt, String nodeForms) {
        byte[] nodes = nodeForms.getBytes(StandardCharsets.UTF_8);
        byte[] inputs = new byte[withoutNodes.length + nodes.length];
        System.arraycopy(withoutNodes, 0, inputs, 0, nodesAt);
        System.arraycopy(nodes, 0, inputs, nodesAt, nodes.length);
        System.arraycopy(withoutNodes, nodesAt, inputs, nodesAt + nodes.length, withoutNodes.length - nodesAt);
        return inputs;
    }

    /** The canonical inputs {output, policy, evidence, lineage} as one form: what the stored parts encode. */
    public static Map<String, Object> inputs(Map<String, Object> output, Map<String, Object> policy,
            Map<String, Object> evidence, Map<String, Object> lineage) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("output", output);
        form.put("policy", policy);
        form.put("evidence", evidence);
        form.put("lineage", lineage);
        return form;
    }

    /** The parts of stored canonical inputs, read back. */
    public record StoredInputs(RecordedOutput output, String policyId, int policyVersion, Policy policy,
            RecordedEvidence evidence, LineageSnapshot lineage) {

        public AttributionInput engineInput() {
            return new AttributionInput(output.assets(), lineage,
                    evidence == null ? null : new Evidence(evidence.scores()), policy);
        }
    }

    public static StoredInputs parse(byte[] canonicalInputs) {
        Struct.Builder parsed = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(new String(canonicalInputs, StandardCharsets.UTF_8), parsed);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored canonical inputs are not JSON", e);
        }
        Map<String, Value> root = parsed.getFieldsMap();
        Map<String, Value> output = object(root.get("output"));
        List<String> reviews = new ArrayList<>();
        output.get("review_asset_ids").getListValue().getValuesList().forEach(id -> reviews.add(id.getStringValue()));
        RecordedOutput recordedOutput = new RecordedOutput(text(output, "content_sha256"), text(output, "model_asset_id"),
                text(output, "prompt_asset_id"), reviews, text(output, "platform_ref"),
                number(output, "produced_at_micros"));

        Map<String, Value> policy = object(root.get("policy"));
        Map<Role, Long> weights = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            weights.put(role, number(object(policy.get("role_weights_ppm")), role.name()));
        }
        Policy enginePolicy = new Policy(weights, number(policy, "finetune_upstream_share_ppm"),
                (int) number(policy, "depth_limit"), number(policy, "minimum_share_ppm"),
                number(policy, "dataset_item_fraction_ppm"));

        RecordedEvidence evidence = null;
        Value evidenceForm = root.get("evidence");
        if (evidenceForm != null && evidenceForm.hasStructValue()) {
            Map<String, Value> form = object(evidenceForm);
            List<InfluenceScore> scores = new ArrayList<>();
            form.get("scores").getListValue().getValuesList().forEach(score -> scores.add(new InfluenceScore(
                    text(object(score), "asset_id"), new BigDecimal(text(object(score), "score")))));
            evidence = new RecordedEvidence(text(form, "method"), text(form, "method_version"), scores);
        }

        Map<String, Value> lineage = object(root.get("lineage"));
        List<LineageNode> nodes = new ArrayList<>();
        lineage.get("nodes").getListValue().getValuesList().forEach(element -> {
            Map<String, Value> node = object(element);
            nodes.add(new LineageNode(text(node, "asset_id"), AssetKind.valueOf(text(node, "kind")),
                    parsedCreators(node.get("creators")), parsedCreators(node.get("item_creators"))));
        });
        List<LineageEdge> edges = new ArrayList<>();
        lineage.get("edges").getListValue().getValuesList().forEach(element -> {
            Map<String, Value> edge = object(element);
            edges.add(new LineageEdge(text(edge, "child"), text(edge, "parent"), EdgeType.valueOf(text(edge, "type")),
                    number(edge, "weight_ppm")));
        });
        return new StoredInputs(recordedOutput, text(policy, "policy_id"), (int) number(policy, "version"),
                enginePolicy, evidence, new LineageSnapshot(nodes, edges));
    }

    private static Map<String, Value> object(Value value) {
        return value.getStructValue().getFieldsMap();
    }

    private static String text(Map<String, Value> object, String key) {
        return object.get(key).getStringValue();
    }

    /** Canonical inputs hold integers below 2^53 only, which a JSON double carries exactly. */
    private static long number(Map<String, Value> object, String key) {
        return (long) object.get(key).getNumberValue();
    }

    private static List<Creator> parsedCreators(Value forms) {
        List<Creator> creators = new ArrayList<>();
        forms.getListValue().getValuesList().forEach(form -> creators.add(new Creator(text(object(form), "contributor_id"),
                number(object(form), "weight"))));
        return creators;
    }

    private static List<Object> creators(List<Creator> creators) {
        List<Object> forms = new ArrayList<>();
        creators.stream().sorted(Comparator.comparing(Creator::contributorId)).forEach(creator ->
                forms.add(Map.of("contributor_id", creator.contributorId(), "weight", creator.weight())));
        return forms;
    }

}
