package io.tribute.attribution.engine;

import io.tribute.common.apportion.LargestRemainder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The engine as it was before the session-4 speed work, kept verbatim as the reference that the optimized
 * engine must match exactly (shares, exact values, explanations, order, errors).
 * Pure and deterministic: no I/O, and the order of the inputs' lists does not matter. docs/attribution.md
 * specifies the semantics.
 */
final class ReferenceAttributionEngine {

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
    private ReferenceAttributionEngine() {
    }

    public static AttributionResult attribute(AttributionInput input) {
        return new Computation(input).run();
    }

    /** The state of one run: the indexed snapshot and the credits accumulated so far. */
    private static final class Computation {

        private final AttributionInput input;
        private final Policy policy;
        private final Map<String, LineageNode> nodes = new HashMap<>();
        private final Map<String, Map<EdgeType, Map<String, Long>>> parents = new HashMap<>();
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
                        .computeIfAbsent(edge.type(), type -> new HashMap<>())
                        .merge(edge.parentId(), edge.weightPpm(), Math::max);
            }
        }

        AttributionResult run() {
            OutputAssets output = input.output();
            requireKind(output.modelAssetId(), AssetKind.MODEL);
            Map<String, BigDecimal> scores = positiveScores();
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
            Map<String, Long> bases = parentsOf(model, EdgeType.FINETUNED_FROM);
            if (depth < policy.depthLimit() && !bases.isEmpty() && policy.finetuneUpstreamSharePpm() > 0) {
                Fraction up = value.scale(policy.finetuneUpstreamSharePpm(), PPM_TOTAL);
                if (up.compareTo(Fraction.of(policy.minimumSharePpm(), PPM_TOTAL)) >= 0 && !up.isZero()) {
                    kept = value.scale(PPM_TOTAL - policy.finetuneUpstreamSharePpm(), PPM_TOTAL);
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
            Map<String, Long> data = parentsOf(model, EdgeType.TRAINED_ON);
            Map<String, Long> architectures = parentsOf(model, EdgeType.USES_ARCHITECTURE);
            Set<Role> here = EnumSet.of(Role.MODEL_BUILDERS);
            if (!evidenceUsed && !data.isEmpty()) {
                here.add(Role.TRAINING_DATA);
            }
            if (!architectures.isEmpty()) {
                here.add(Role.ARCHITECTURE);
            }
            Map<Role, Fraction> values = split(value, here);

            Map<String, Long> adjustments = parentsOf(model, EdgeType.ADJUSTED_WITH);
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

        private void creditScoredData(String model, Map<String, BigDecimal> scores, Fraction dataValue) {
            BigDecimal total = BigDecimal.ZERO;
            for (BigDecimal score : scores.values()) {
                total = total.add(score);
            }
            Fraction perUnit = dataValue.divide(Fraction.of(total));
            for (var scored : scores.entrySet()) {
                requireDataKind(scored.getKey());
                creditAsset(Role.TRAINING_DATA, List.of(model, scored.getKey()),
                        perUnit.multiply(Fraction.of(scored.getValue())));
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
                direct = value.scale(PPM_TOTAL - policy.datasetItemFractionPpm(), PPM_TOTAL);
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

        private Map<String, BigDecimal> positiveScores() {
            Map<String, BigDecimal> positive = new HashMap<>();
            if (input.evidence() == null) {
                return positive;
            }
            Set<String> seen = new HashSet<>();
            for (InfluenceScore score : input.evidence().scores()) {
                if (!seen.add(score.assetId())) {
                    throw new IllegalArgumentException("asset " + score.assetId() + " is scored twice");
                }
                if (score.score().signum() > 0) {
                    positive.put(score.assetId(), score.score());
                }
            }
            return positive;
        }

        /**
         * Rounds and orders. Every credit is first brought to one common denominator, so that the sums per
         * contributor, the rounding weights and the ordering by value are plain integer work.
         */
        private AttributionResult result() {
            // Most credits share a few denominators: each distinct one is handled once.
            Map<BigInteger, BigInteger> multipliers = new HashMap<>();
            for (Fraction value : credits.values()) {
                multipliers.putIfAbsent(value.rawDenominator(), BigInteger.ONE);
            }
            BigInteger common = BigInteger.ONE;
            for (BigInteger denominator : multipliers.keySet()) {
                if (common.mod(denominator).signum() != 0) {
                    common = lcm(common, denominator);
                }
            }
            for (var multiplier : multipliers.entrySet()) {
                multiplier.setValue(common.divide(multiplier.getKey()));
            }
            // Grouped by contributor first: sorting each contributor's few credits is far cheaper than
            // sorting every credit of a 10,000-score attribution at once.
            Map<String, List<ScaledCredit>> byContributor = new HashMap<>();
            for (var entry : credits.entrySet()) {
                CreditKey key = entry.getKey();
                Fraction value = entry.getValue();
                byContributor.computeIfAbsent(key.contributorId(), id -> new ArrayList<>(2)).add(new ScaledCredit(
                        new PathCredit(key.contributorId(), key.role(), key.path(), key.viaItems(), value),
                        value.rawNumerator().multiply(multipliers.get(value.rawDenominator()))));
            }
            String[] contributors = byContributor.keySet().toArray(String[]::new);
            Arrays.sort(contributors);
            List<PathCredit> all = new ArrayList<>(credits.size());
            Map<String, BigInteger> weights = new LinkedHashMap<>();
            Map<String, int[]> ranges = new HashMap<>();
            for (String contributor : contributors) {
                List<ScaledCredit> own = byContributor.get(contributor);
                own.sort(null);
                BigInteger sum = BigInteger.ZERO;
                int start = all.size();
                for (ScaledCredit credit : own) {
                    all.add(credit.credit());
                    sum = sum.add(credit.numerator());
                }
                weights.put(contributor, sum);
                ranges.put(contributor, new int[] {start, all.size()});
            }
            SortedMap<String, BigInteger> ppm = LargestRemainder.apportion(BigInteger.valueOf(PPM_TOTAL), weights);
            List<ContributorShare> shares = new ArrayList<>();
            for (var entry : ppm.entrySet()) {
                if (entry.getValue().signum() > 0) {
                    int[] range = ranges.get(entry.getKey());
                    shares.add(new ContributorShare(entry.getKey(), entry.getValue().longValueExact(),
                            new Fraction(weights.get(entry.getKey()), common), all.subList(range[0], range[1])));
                }
            }
            shares.sort(Comparator.comparingLong(ContributorShare::sharePpm).reversed()
                    .thenComparing(ContributorShare::contributorId));
            return new AttributionResult(shares, all);
        }

        private Map<String, Long> parentsOf(String child, EdgeType type) {
            Map<EdgeType, Map<String, Long>> byType = parents.get(child);
            Map<String, Long> found = byType == null ? null : byType.get(type);
            return found == null ? Map.of() : found;
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

    /**
     * A credit and its value's numerator over the run's common denominator. Orders one contributor's credits:
     * largest value first, then role, path and direct-before-items (a total order).
     */
    private record ScaledCredit(PathCredit credit, BigInteger numerator) implements Comparable<ScaledCredit> {

        @Override
        public int compareTo(ScaledCredit other) {
            int c = other.numerator.compareTo(numerator);
            if (c == 0) {
                c = credit.role().compareTo(other.credit.role());
            }
            if (c == 0) {
                c = PATH_ORDER.compare(credit.assetPath(), other.credit.assetPath());
            }
            return c != 0 ? c : Boolean.compare(credit.viaDatasetItems(), other.credit.viaDatasetItems());
        }
    }

    /** Identifies one credit: who, through which role and path, directly or via a dataset's items. */
    private record CreditKey(String contributorId, Role role, List<String> path, boolean viaItems) {
    }
}
