package io.tribute.attribution.engine;

import io.tribute.common.apportion.LargestRemainder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns an output's lineage snapshot, optional influence evidence and a policy into contributor shares with
 * their explanations, with exact rational arithmetic until one final largest-remainder rounding to ppm.
 * Pure and deterministic: no I/O, and the order of the inputs' lists does not matter. docs/attribution.md
 * specifies the semantics.
 */
public final class AttributionEngine {

    /** Recorded with every attribution; a change to the semantics gets a new version. */
    public static final String VERSION = "1";
    public static final long PPM_TOTAL = 1_000_000L;

    private static final Set<Role> MODEL_SIDE_ROLES = EnumSet.of(Role.TRAINING_DATA, Role.ARCHITECTURE,
            Role.MODEL_BUILDERS);
    private static final Comparator<List<String>> PATH_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };
    /** Largest value first, then role, path and direct-before-items: a total order on one contributor's credits. */
    static final Comparator<PathCredit> CREDIT_ORDER = Comparator.comparing(PathCredit::value).reversed()
            .thenComparing(PathCredit::role)
            .thenComparing(PathCredit::assetPath, PATH_ORDER)
            .thenComparing(PathCredit::viaDatasetItems);

    private AttributionEngine() {
    }

    public static AttributionResult attribute(AttributionInput input) {
        return new Computation(input).run();
    }

    /** The state of one run: the indexed snapshot and the credits accumulated so far. */
    private static final class Computation {

        private final AttributionInput input;
        private final Policy policy;
        private final Map<String, LineageNode> nodes = new HashMap<>();
        private final Map<String, Map<EdgeType, SortedMap<String, Long>>> parents = new HashMap<>();
        private final Map<CreditKey, Fraction> credits = new HashMap<>();

        Computation(AttributionInput input) {
            this.input = input;
            this.policy = input.policy();
            for (LineageNode node : input.lineage().nodes()) {
                LineageNode previous = nodes.putIfAbsent(node.assetId(), node);
                if (previous != null && !previous.equals(node)) {
                    throw new IllegalArgumentException("asset " + node.assetId() + " appears twice, differently");
                }
                checkCreators(node);
            }
            for (LineageEdge edge : input.lineage().edges()) {
                requireNode(edge.childId());
                requireNode(edge.parentId());
                parents.computeIfAbsent(edge.childId(), id -> new HashMap<>())
                        .computeIfAbsent(edge.type(), type -> new TreeMap<>())
                        .merge(edge.parentId(), edge.weightPpm(), Math::max);
            }
        }

        AttributionResult run() {
            OutputAssets output = input.output();
            requireKind(output.modelAssetId(), AssetKind.MODEL);
            SortedMap<String, Fraction> scores = positiveScores();
            boolean evidenceUsed = !scores.isEmpty();
            Set<String> stack = royaltyStack(output.modelAssetId());

            Set<Role> present = EnumSet.of(Role.MODEL_BUILDERS);
            if (output.promptAssetId() != null) {
                present.add(Role.PROMPT);
            }
            if (!output.reviewAssetIds().isEmpty()) {
                present.add(Role.REVIEW);
            }
            if (evidenceUsed || stack.stream().anyMatch(m -> !parentsOf(m, EdgeType.TRAINED_ON).isEmpty())) {
                present.add(Role.TRAINING_DATA);
            }
            if (stack.stream().anyMatch(m -> !parentsOf(m, EdgeType.USES_ARCHITECTURE).isEmpty())) {
                present.add(Role.ARCHITECTURE);
            }
            Map<Role, Fraction> roleValues = split(Fraction.ONE, present);

            if (present.contains(Role.PROMPT)) {
                requireKind(output.promptAssetId(), AssetKind.PROMPT);
                creditAsset(Role.PROMPT, List.of(output.promptAssetId()), roleValues.get(Role.PROMPT));
            }
            if (present.contains(Role.REVIEW)) {
                Set<String> reviews = new TreeSet<>(output.reviewAssetIds());
                Fraction each = roleValues.get(Role.REVIEW).scale(1, reviews.size());
                for (String review : reviews) {
                    requireKind(review, AssetKind.REVIEW);
                    creditAsset(Role.REVIEW, List.of(review), each);
                }
            }
            if (evidenceUsed) {
                creditScoredData(output.modelAssetId(), scores, roleValues.get(Role.TRAINING_DATA));
            }
            Fraction modelSide = Fraction.ZERO;
            for (Role role : present) {
                if (MODEL_SIDE_ROLES.contains(role) && !(evidenceUsed && role == Role.TRAINING_DATA)) {
                    modelSide = modelSide.add(roleValues.get(role));
                }
            }
            walk(output.modelAssetId(), List.of(output.modelAssetId()), 0, modelSide, evidenceUsed);
            return result();
        }

        /** Models reachable from the output's model in at most depth_limit FINETUNED_FROM steps. */
        private Set<String> royaltyStack(String model) {
            Set<String> stack = new HashSet<>(Set.of(model));
            Set<String> frontier = Set.of(model);
            for (int depth = 0; depth < policy.depthLimit() && !frontier.isEmpty(); depth++) {
                Set<String> next = new HashSet<>();
                for (String child : frontier) {
                    for (String base : parentsOf(child, EdgeType.FINETUNED_FROM).keySet()) {
                        if (stack.add(base)) {
                            next.add(base);
                        }
                    }
                }
                frontier = next;
            }
            return stack;
        }

        /** The royalty stack: a model keeps its value minus what it passes up to its base models. */
        private void walk(String model, List<String> path, int depth, Fraction value, boolean evidenceUsed) {
            requireKind(model, AssetKind.MODEL);
            Fraction kept = value;
            SortedMap<String, Long> bases = parentsOf(model, EdgeType.FINETUNED_FROM);
            if (depth < policy.depthLimit() && !bases.isEmpty() && policy.finetuneUpstreamSharePpm() > 0) {
                Fraction up = value.scale(policy.finetuneUpstreamSharePpm(), PPM_TOTAL);
                if (up.compareTo(Fraction.of(policy.minimumSharePpm(), PPM_TOTAL)) >= 0 && !up.isZero()) {
                    kept = value.subtract(up);
                    Fraction each = up.scale(1, bases.size());
                    for (String base : bases.keySet()) {
                        walk(base, append(path, base), depth + 1, each, evidenceUsed);
                    }
                }
            }
            distributeAtModel(model, path, kept, evidenceUsed);
        }

        /** Splits what a model keeps among the model-side roles present at that model. */
        private void distributeAtModel(String model, List<String> path, Fraction value, boolean evidenceUsed) {
            SortedMap<String, Long> data = parentsOf(model, EdgeType.TRAINED_ON);
            SortedMap<String, Long> architectures = parentsOf(model, EdgeType.USES_ARCHITECTURE);
            Set<Role> here = EnumSet.of(Role.MODEL_BUILDERS);
            if (!evidenceUsed && !data.isEmpty()) {
                here.add(Role.TRAINING_DATA);
            }
            if (!architectures.isEmpty()) {
                here.add(Role.ARCHITECTURE);
            }
            Map<Role, Fraction> values = split(value, here);

            SortedMap<String, Long> adjustments = parentsOf(model, EdgeType.ADJUSTED_WITH);
            Fraction builders = values.get(Role.MODEL_BUILDERS).scale(1, adjustments.size() + 1L);
            creditAsset(Role.MODEL_BUILDERS, path, builders);
            for (String adjustment : adjustments.keySet()) {
                creditAsset(Role.MODEL_BUILDERS, append(path, adjustment), builders);
            }
            if (here.contains(Role.ARCHITECTURE)) {
                Fraction each = values.get(Role.ARCHITECTURE).scale(1, architectures.size());
                for (String architecture : architectures.keySet()) {
                    creditAsset(Role.ARCHITECTURE, append(path, architecture), each);
                }
            }
            if (here.contains(Role.TRAINING_DATA)) {
                Fraction dataValue = values.get(Role.TRAINING_DATA);
                long declared = data.values().stream().mapToLong(Long::longValue).sum();
                for (var source : data.entrySet()) {
                    Fraction share = declared == 0
                            ? dataValue.scale(1, data.size())
                            : dataValue.scale(source.getValue(), declared);
                    creditAsset(Role.TRAINING_DATA, append(path, source.getKey()), share);
                }
            }
        }

        private void creditScoredData(String model, SortedMap<String, Fraction> scores, Fraction dataValue) {
            Fraction total = Fraction.ZERO;
            for (Fraction score : scores.values()) {
                total = total.add(score);
            }
            Fraction perUnit = dataValue.multiply(new Fraction(total.denominator(), total.numerator()));
            for (var scored : scores.entrySet()) {
                requireDataKind(scored.getKey());
                creditAsset(Role.TRAINING_DATA, List.of(model, scored.getKey()), perUnit.multiply(scored.getValue()));
            }
        }

        /** Credits an asset's value to its creators (and a dataset's item part to its items' creators). */
        private void creditAsset(Role role, List<String> path, Fraction value) {
            if (value.isZero()) {
                return;
            }
            LineageNode node = requireNode(path.get(path.size() - 1));
            Fraction direct = value;
            if (node.kind() == AssetKind.DATASET && policy.datasetItemFractionPpm() > 0
                    && totalWeight(node.itemCreators()) > 0) {
                Fraction items = value.scale(policy.datasetItemFractionPpm(), PPM_TOTAL);
                direct = value.subtract(items);
                creditCreators(role, path, true, node.itemCreators(), items);
            }
            creditCreators(role, path, false, node.creators(), direct);
        }

        private void creditCreators(Role role, List<String> path, boolean viaItems, List<Creator> creators,
                Fraction value) {
            if (value.isZero()) {
                return;
            }
            long total = totalWeight(creators);
            for (Creator creator : creators) {
                if (creator.weight() > 0) {
                    credits.merge(new CreditKey(creator.contributorId(), role, path, viaItems),
                            value.scale(creator.weight(), total), Fraction::add);
                }
            }
        }

        /** Role values: each present role's weight, pro rata among the present roles (equal if all are 0). */
        private Map<Role, Fraction> split(Fraction value, Set<Role> present) {
            long sum = present.stream().mapToLong(policy::weight).sum();
            Map<Role, Fraction> values = new HashMap<>();
            for (Role role : present) {
                values.put(role, sum == 0 ? value.scale(1, present.size()) : value.scale(policy.weight(role), sum));
            }
            return values;
        }

        private SortedMap<String, Fraction> positiveScores() {
            SortedMap<String, Fraction> positive = new TreeMap<>();
            if (input.evidence() == null) {
                return positive;
            }
            Set<String> seen = new HashSet<>();
            for (InfluenceScore score : input.evidence().scores()) {
                if (!seen.add(score.assetId())) {
                    throw new IllegalArgumentException("asset " + score.assetId() + " is scored twice");
                }
                if (score.score().signum() > 0) {
                    positive.put(score.assetId(), Fraction.of(score.score()));
                }
            }
            return positive;
        }

        private AttributionResult result() {
            List<PathCredit> all = new ArrayList<>(credits.size());
            SortedMap<String, Fraction> perContributor = new TreeMap<>();
            Map<String, List<PathCredit>> byContributor = new HashMap<>();
            for (var entry : credits.entrySet()) {
                CreditKey key = entry.getKey();
                PathCredit credit = new PathCredit(key.contributorId(), key.role(), key.path(), key.viaItems(),
                        entry.getValue());
                all.add(credit);
                perContributor.merge(key.contributorId(), entry.getValue(), Fraction::add);
                byContributor.computeIfAbsent(key.contributorId(), id -> new ArrayList<>()).add(credit);
            }
            BigInteger commonDenominator = BigInteger.ONE;
            for (Fraction value : perContributor.values()) {
                commonDenominator = lcm(commonDenominator, value.denominator());
            }
            Map<String, BigInteger> weights = new TreeMap<>();
            for (var entry : perContributor.entrySet()) {
                Fraction value = entry.getValue();
                weights.put(entry.getKey(), value.numerator().multiply(commonDenominator.divide(value.denominator())));
            }
            SortedMap<String, BigInteger> ppm = LargestRemainder.apportion(BigInteger.valueOf(PPM_TOTAL), weights);
            List<ContributorShare> shares = new ArrayList<>();
            for (var entry : ppm.entrySet()) {
                if (entry.getValue().signum() > 0) {
                    List<PathCredit> paths = byContributor.get(entry.getKey());
                    paths.sort(CREDIT_ORDER);
                    shares.add(new ContributorShare(entry.getKey(), entry.getValue().longValueExact(),
                            perContributor.get(entry.getKey()), paths));
                }
            }
            shares.sort(Comparator.comparingLong(ContributorShare::sharePpm).reversed()
                    .thenComparing(ContributorShare::contributorId));
            all.sort(Comparator.comparing(PathCredit::contributorId).thenComparing(CREDIT_ORDER));
            return new AttributionResult(shares, all);
        }

        private SortedMap<String, Long> parentsOf(String child, EdgeType type) {
            Map<EdgeType, SortedMap<String, Long>> byType = parents.get(child);
            SortedMap<String, Long> found = byType == null ? null : byType.get(type);
            return found == null ? new TreeMap<>() : found;
        }

        private LineageNode requireNode(String assetId) {
            LineageNode node = nodes.get(assetId);
            if (node == null) {
                throw new IllegalArgumentException("the lineage snapshot lacks asset " + assetId);
            }
            return node;
        }

        private void requireKind(String assetId, AssetKind kind) {
            if (requireNode(assetId).kind() != kind) {
                throw new IllegalArgumentException("asset " + assetId + " is not a " + kind);
            }
        }

        private void requireDataKind(String assetId) {
            AssetKind kind = requireNode(assetId).kind();
            if (kind != AssetKind.DATA_ITEM && kind != AssetKind.DATASET) {
                throw new IllegalArgumentException("scored asset " + assetId + " is not a DATA_ITEM or DATASET");
            }
        }

        private static void checkCreators(LineageNode node) {
            if (totalWeight(node.creators()) != PPM_TOTAL) {
                throw new IllegalArgumentException("creators of " + node.assetId() + " must sum to 1000000 ppm");
            }
            Set<String> ids = new HashSet<>();
            for (Creator creator : node.creators()) {
                if (!ids.add(creator.contributorId())) {
                    throw new IllegalArgumentException("creator " + creator.contributorId() + " listed twice");
                }
            }
            Set<String> itemIds = new HashSet<>();
            for (Creator creator : node.itemCreators()) {
                if (!itemIds.add(creator.contributorId())) {
                    throw new IllegalArgumentException("item creator " + creator.contributorId() + " listed twice");
                }
            }
        }

        private static long totalWeight(List<Creator> creators) {
            long total = 0;
            for (Creator creator : creators) {
                total = Math.addExact(total, creator.weight());
            }
            return total;
        }

        private static List<String> append(List<String> path, String assetId) {
            List<String> longer = new ArrayList<>(path.size() + 1);
            longer.addAll(path);
            longer.add(assetId);
            return List.copyOf(longer);
        }

        private static BigInteger lcm(BigInteger a, BigInteger b) {
            return a.divide(a.gcd(b)).multiply(b);
        }
    }

    /** Identifies one credit: who, through which role and path, directly or via a dataset's items. */
    private record CreditKey(String contributorId, Role role, List<String> path, boolean viaItems) {
    }
}
