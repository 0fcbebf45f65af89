package io.tribute.attribution.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
            10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
            10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L,
            100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    private AttributionEngine() {
    }

    public static AttributionResult attribute(AttributionInput input) {
        return new Computation(input).run();
    }

    /** The state of one run: the indexed snapshot and the credits accumulated so far. */
    private static final class Computation {

        private final AttributionInput input;
        private final Policy policy;
        private final Map<String, Asset> assets;
        private final Map<CreditKey, Fraction> credits;
        /** Scored data's credits: their keys are distinct by construction, so they skip the merging map. */
        private final List<PathCredit> scoredCredits;
        private final List<Asset> scoredAssets;
        private boolean creditingScoredData;
        /** The last denominator scaled by creditCreators and the result, reused while they repeat. */
        private BigInteger scaledFrom;
        private long scaledBy;
        private BigInteger scaledTo;

        Computation(AttributionInput input) {
            this.input = input;
            this.policy = input.policy();
            int scoreCount = input.evidence() == null ? 0 : input.evidence().scores().size();
            assets = HashMap.newHashMap(input.lineage().nodes().size());
            credits = new HashMap<>();
            scoredCredits = new ArrayList<>(scoreCount);
            scoredAssets = new ArrayList<>(scoreCount);
            for (LineageNode node : input.lineage().nodes()) {
                Asset previous = assets.putIfAbsent(node.assetId(), new Asset(node));
                if (previous != null && !previous.node.equals(node)) {
                    throw new IllegalArgumentException("asset " + node.assetId() + " appears twice, differently");
                }
                checkCreators(node);
            }
            for (LineageEdge edge : input.lineage().edges()) {
                Asset child = requireAsset(edge.childId());
                requireAsset(edge.parentId());
                child.parents(edge.type()).merge(edge.parentId(), edge.weightPpm(), Math::max);
            }
        }

        AttributionResult run() {
            OutputAssets output = input.output();
            requireKind(output.modelAssetId(), AssetKind.MODEL);
            List<InfluenceScore> scores = positiveScores();
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
                    Fraction each = lowestTerms(up.scale(1, bases.size()));
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

        /**
         * Each positive score's asset gets dataValue × score / (sum of scores). With every score written as
         * units of 10^-s (s the largest scale), that is dataValue × units / (sum of units): one shared
         * denominator, and plain long arithmetic while the units fit (a BigInteger path otherwise).
         */
        private void creditScoredData(String model, List<InfluenceScore> scores, Fraction dataValue) {
            LineageNode[] scored = scoredNodes(scores);
            int scale = 0;
            for (InfluenceScore score : scores) {
                scale = Math.max(scale, score.score().scale());
            }
            long[] units = new long[scores.size()];
            long unitTotal = 0;
            boolean narrow = true;
            for (int i = 0; i < units.length && narrow; i++) {
                units[i] = longUnits(scores.get(i).score(), scale);
                unitTotal += units[i];
                narrow = units[i] >= 0 && unitTotal >= 0;
            }
            BigInteger[] wideUnits = null;
            BigInteger total = BigInteger.valueOf(unitTotal);
            if (!narrow) {
                wideUnits = new BigInteger[units.length];
                total = BigInteger.ZERO;
                for (int i = 0; i < units.length; i++) {
                    BigDecimal score = scores.get(i).score();
                    wideUnits[i] = score.unscaledValue().multiply(BigInteger.TEN.pow(scale - score.scale()));
                    total = total.add(wideUnits[i]);
                }
            }
            BigInteger numerator = dataValue.rawNumerator();
            BigInteger denominator = dataValue.rawDenominator().multiply(total);
            long narrowNumerator = numerator.bitLength() < Long.SIZE - 1 ? numerator.longValue() : -1;
            // Each asset is scored once and its creators (and item creators) are distinct, and no other
            // training-data credit exists when evidence is used: these credits' keys are all distinct.
            creditingScoredData = true;
            for (int i = 0; i < units.length; i++) {
                BigInteger part = wideUnits != null ? numerator.multiply(wideUnits[i])
                        : product(numerator, narrowNumerator, units[i]);
                creditAsset(Role.TRAINING_DATA, List.of(model, scores.get(i).assetId()), scored[i],
                        new Fraction(part, denominator));
            }
            creditingScoredData = false;
        }

        /**
         * The scored assets' nodes. An invalid one fails with the error the engine always gave: the first
         * invalid asset in the iteration order of a HashMap of the positive scores.
         */
        private LineageNode[] scoredNodes(List<InfluenceScore> scores) {
            LineageNode[] scored = new LineageNode[scores.size()];
            for (int i = 0; i < scored.length; i++) {
                Asset asset = scoredAssets.get(i);
                LineageNode node = asset == null ? null : asset.node;
                if (node == null || (node.kind() != AssetKind.DATA_ITEM && node.kind() != AssetKind.DATASET)) {
                    Map<String, BigDecimal> legacyOrder = new HashMap<>();
                    for (InfluenceScore score : scores) {
                        legacyOrder.put(score.assetId(), score.score());
                    }
                    legacyOrder.keySet().forEach(this::requireDataKind);
                }
                scored[i] = node;
            }
            return scored;
        }

        /** The score in units of 10^-scale, or -1 where that does not fit a long. */
        private static long longUnits(BigDecimal score, int scale) {
            int shift = scale - score.scale();
            if (shift >= POWERS_OF_TEN.length) {
                return -1;
            }
            BigInteger unscaled = score.unscaledValue();
            if (unscaled.bitLength() >= Long.SIZE - 1) {
                return -1;
            }
            long value = unscaled.longValue();
            long power = POWERS_OF_TEN[shift];
            long units = value * power;
            return Math.multiplyHigh(value, power) == 0 && units >= 0 ? units : -1;
        }

        /** numerator × factor, in a long where both and the product fit (narrowNumerator is -1 if not). */
        private static BigInteger product(BigInteger numerator, long narrowNumerator, long factor) {
            if (narrowNumerator >= 0) {
                long product = narrowNumerator * factor;
                if (Math.multiplyHigh(narrowNumerator, factor) == 0 && product >= 0) {
                    return BigInteger.valueOf(product);
                }
            }
            return numerator.multiply(BigInteger.valueOf(factor));
        }

        /** Credits an asset's value to its creators (and a dataset's item part to its items' creators). */
        private void creditAsset(Role role, List<String> path, Fraction value) {
            if (value.isZero()) {
                return;
            }
            creditAsset(role, path, requireNode(path.get(path.size() - 1)), value);
        }

        private void creditAsset(Role role, List<String> path, LineageNode node, Fraction value) {
            if (value.isZero()) {
                return;
            }
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
                    Fraction part = scale(value, creator.weight(), total);
                    if (creditingScoredData) {
                        scoredCredits.add(new PathCredit(creator.contributorId(), role, path, viaItems, part));
                    } else {
                        credits.merge(new CreditKey(creator.contributorId(), role, path, viaItems), part,
                                Fraction::add);
                    }
                }
            }
        }

        /** value × weight / total, sharing the scaled denominator while the same one repeats (scored data). */
        private Fraction scale(Fraction value, long weight, long total) {
            if (weight == total) {
                return value;
            }
            BigInteger denominator = value.rawDenominator();
            if (denominator != scaledFrom || total != scaledBy) {
                scaledFrom = denominator;
                scaledBy = total;
                scaledTo = denominator.multiply(BigInteger.valueOf(total));
            }
            return new Fraction(value.rawNumerator().multiply(BigInteger.valueOf(weight)), scaledTo);
        }

        /** Role values: each present role's weight, pro rata among the present roles (equal if all are 0). */
        private Map<Role, Fraction> split(Fraction value, Set<Role> present) {
            long sum = present.stream().mapToLong(policy::weight).sum();
            Map<Role, Fraction> values = new HashMap<>();
            for (Role role : present) {
                values.put(role, lowestTerms(sum == 0 ? value.scale(1, present.size())
                        : value.scale(policy.weight(role), sum)));
            }
            return values;
        }

        /**
         * The same value with a smaller raw form. Role and walk values are few, and keeping them small keeps
         * every credit's numerator and the common denominator short.
         */
        private static Fraction lowestTerms(Fraction value) {
            return value.isZero() ? Fraction.ZERO : new Fraction(value.numerator(), value.denominator());
        }

        /** The positive scores, in input order (each asset scored at most once). */
        /**
         * The positive scores in input order, and their assets in {@link #scoredAssets} (null where the
         * snapshot lacks one). A scored asset is marked on its entry, so a repeat is found without a set.
         */
        private List<InfluenceScore> positiveScores() {
            if (input.evidence() == null) {
                return List.of();
            }
            List<InfluenceScore> scores = input.evidence().scores();
            List<InfluenceScore> positive = new ArrayList<>(scores.size());
            Set<String> unknownSeen = new HashSet<>();
            for (InfluenceScore score : scores) {
                Asset asset = assets.get(score.assetId());
                boolean repeated = asset == null ? !unknownSeen.add(score.assetId()) : asset.scored;
                if (repeated) {
                    throw new IllegalArgumentException("asset " + score.assetId() + " is scored twice");
                }
                if (asset != null) {
                    asset.scored = true;
                }
                if (score.score().signum() > 0) {
                    positive.add(score);
                    scoredAssets.add(asset);
                }
            }
            return positive;
        }

        /**
         * Rounds and orders. Every credit is first brought to one common denominator, so that the sums per
         * contributor, the rounding weights and the ordering by value are plain integer work.
         */
        private AttributionResult result() {
            // Most credits share a few denominators (scored data shares one instance): each distinct one is
            // handled once, and found by identity before it is hashed.
            Map<BigInteger, BigInteger> multipliers = new HashMap<>();
            Map<BigInteger, BigInteger> byInstance = new IdentityHashMap<>();
            List<PathCredit> unscaled = new ArrayList<>(credits.size() + scoredCredits.size());
            for (var entry : credits.entrySet()) {
                CreditKey key = entry.getKey();
                unscaled.add(new PathCredit(key.contributorId(), key.role(), key.path(), key.viaItems(),
                        entry.getValue()));
            }
            unscaled.addAll(scoredCredits);
            for (PathCredit credit : unscaled) {
                BigInteger denominator = credit.value().rawDenominator();
                if (!byInstance.containsKey(denominator)) {
                    byInstance.put(denominator, null);
                    multipliers.putIfAbsent(denominator, BigInteger.ONE);
                }
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
            for (var multiplier : byInstance.entrySet()) {
                multiplier.setValue(multipliers.get(multiplier.getKey()));
            }
            // Grouped by contributor first: sorting each contributor's few credits is far cheaper than
            // sorting every credit of a 10,000-score attribution at once.
            Map<String, ContributorCredits> byContributor = HashMap.newHashMap(unscaled.size());
            for (PathCredit credit : unscaled) {
                ContributorCredits own = byContributor.get(credit.contributorId());
                if (own == null) {
                    own = new ContributorCredits(credit.contributorId());
                    byContributor.put(credit.contributorId(), own);
                }
                Fraction value = credit.value();
                BigInteger multiplier = byInstance.get(value.rawDenominator());
                own.credits.add(new ScaledCredit(credit, multiplier.equals(BigInteger.ONE) ? value.rawNumerator()
                        : value.rawNumerator().multiply(multiplier)));
            }
            ContributorCredits[] contributors = byContributor.values().toArray(ContributorCredits[]::new);
            Arrays.sort(contributors, Comparator.comparing(ContributorCredits::contributorId));
            List<PathCredit> all = new ArrayList<>(unscaled.size());
            BigInteger[] weights = new BigInteger[contributors.length];
            for (int i = 0; i < contributors.length; i++) {
                ContributorCredits own = contributors[i];
                own.credits.sort(null);
                BigInteger sum = BigInteger.ZERO;
                own.start = all.size();
                for (ScaledCredit credit : own.credits) {
                    all.add(credit.credit());
                    sum = sum.add(credit.numerator());
                }
                own.end = all.size();
                own.sum = sum;
                weights[i] = sum;
            }
            long[] ppm = PpmRounding.largestRemainder(weights);
            List<ContributorShare> shares = new ArrayList<>();
            for (int i = 0; i < contributors.length; i++) {
                if (ppm[i] > 0) {
                    ContributorCredits own = contributors[i];
                    shares.add(new ContributorShare(own.contributorId, ppm[i], new Fraction(own.sum, common),
                            all.subList(own.start, own.end)));
                }
            }
            // By share descending, then contributor id: the list is in id order and the sort is stable, so
            // comparing the shares alone is enough (and far cheaper than a composed comparator).
            shares.sort((a, b) -> Long.compare(b.sharePpm(), a.sharePpm()));
            return new AttributionResult(shares, all);
        }

        private Map<String, Long> parentsOf(String child, EdgeType type) {
            Asset asset = assets.get(child);
            Map<String, Long> found = asset == null || asset.parents == null ? null : asset.parents[type.ordinal()];
            return found == null ? Map.of() : found;
        }

        private LineageNode requireNode(String assetId) {
            return requireAsset(assetId).node;
        }

        private Asset requireAsset(String assetId) {
            Asset asset = assets.get(assetId);
            if (asset == null) {
                throw new IllegalArgumentException("the lineage snapshot lacks asset " + assetId);
            }
            return asset;
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
            String repeated = firstRepeated(node.creators());
            if (repeated != null) {
                throw new IllegalArgumentException("creator " + repeated + " listed twice");
            }
            repeated = firstRepeated(node.itemCreators());
            if (repeated != null) {
                throw new IllegalArgumentException("item creator " + repeated + " listed twice");
            }
        }

        /** The first creator whose id an earlier one has (most lists are short: no set for those). */
        private static String firstRepeated(List<Creator> creators) {
            if (creators.size() > 8) {
                Set<String> ids = HashSet.newHashSet(creators.size());
                for (Creator creator : creators) {
                    if (!ids.add(creator.contributorId())) {
                        return creator.contributorId();
                    }
                }
                return null;
            }
            for (int i = 1; i < creators.size(); i++) {
                String id = creators.get(i).contributorId();
                for (int j = 0; j < i; j++) {
                    if (creators.get(j).contributorId().equals(id)) {
                        return id;
                    }
                }
            }
            return null;
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

    /** A lineage asset and its parents by edge type (an array by ordinal: one hash lookup per edge). */
    private static final class Asset {

        private final LineageNode node;
        private Map<String, Long>[] parents;
        private boolean scored;

        Asset(LineageNode node) {
            this.node = node;
        }

        @SuppressWarnings("unchecked")
        Map<String, Long> parents(EdgeType type) {
            if (parents == null) {
                parents = new Map[EdgeType.values().length];
            }
            Map<String, Long> found = parents[type.ordinal()];
            if (found == null) {
                found = new HashMap<>();
                parents[type.ordinal()] = found;
            }
            return found;
        }
    }

    /** One contributor's credits, then their place in the result's list of credits and their exact sum. */
    private static final class ContributorCredits {

        private final String contributorId;
        private final List<ScaledCredit> credits = new ArrayList<>(2);
        private int start;
        private int end;
        private BigInteger sum;

        ContributorCredits(String contributorId) {
            this.contributorId = contributorId;
        }

        String contributorId() {
            return contributorId;
        }
    }

    /** Identifies one credit: who, through which role and path, directly or via a dataset's items. */
    private record CreditKey(String contributorId, Role role, List<String> path, boolean viaItems) {
    }
}
