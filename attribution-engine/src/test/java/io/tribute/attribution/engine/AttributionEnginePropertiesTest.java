package io.tribute.attribution.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of the engine over random lineages, evidence and policies. */
class AttributionEnginePropertiesTest {

    @Property(tries = 500)
    void sharesSumToExactlyOneMillionPpm(@ForAll long seed) {
        AttributionResult result = AttributionEngine.attribute(RandomLineages.input(seed));

        assertThat(result.shares()).allSatisfy(share -> assertThat(share.sharePpm()).isPositive());
        assertThat(result.shares().stream().mapToLong(ContributorShare::sharePpm).sum()).isEqualTo(1_000_000L);
        Fraction exact = Fraction.ZERO;
        for (PathCredit credit : result.credits()) {
            exact = exact.add(credit.value());
        }
        assertThat(exact).isEqualTo(Fraction.ONE);
    }

    @Property(tries = 200)
    void sameInputsGiveTheSameResult(@ForAll long seed) {
        assertThat(AttributionEngine.attribute(RandomLineages.input(seed)))
                .isEqualTo(AttributionEngine.attribute(RandomLineages.input(seed)));
    }

    @Property(tries = 300)
    void resultDoesNotDependOnTheOrderOfTheInputs(@ForAll long seed, @ForAll long shuffleSeed) {
        AttributionInput input = RandomLineages.input(seed);
        Random random = new Random(shuffleSeed);
        AttributionInput shuffled = new AttributionInput(
                new OutputAssets(input.output().modelAssetId(), input.output().promptAssetId(),
                        shuffle(input.output().reviewAssetIds(), random)),
                new LineageSnapshot(shuffle(input.lineage().nodes(), random).stream()
                        .map(node -> new LineageNode(node.assetId(), node.kind(), shuffle(node.creators(), random),
                                shuffle(node.itemCreators(), random))).toList(),
                        shuffle(input.lineage().edges(), random)),
                input.evidence() == null ? null : new Evidence(shuffle(input.evidence().scores(), random)),
                input.policy());

        assertThat(AttributionEngine.attribute(shuffled)).isEqualTo(AttributionEngine.attribute(input));
    }

    @Property(tries = 300)
    void moreInfluenceNeverLowersThatAssetsShare(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int pick,
            @ForAll @LongRange(min = 1, max = 1_000_000) long increase) {
        AttributionInput input = RandomLineages.input(seed);
        if (input.evidence() == null || input.evidence().scores().stream().noneMatch(s -> s.score().signum() > 0)) {
            return;
        }
        List<InfluenceScore> scores = input.evidence().scores();
        InfluenceScore chosen = scores.get(pick % scores.size());
        BigDecimal raised = chosen.score().max(BigDecimal.ZERO).add(BigDecimal.valueOf(increase).movePointLeft(6));
        List<InfluenceScore> more = scores.stream()
                .map(s -> s == chosen ? new InfluenceScore(s.assetId(), raised) : s).toList();
        AttributionInput boosted = new AttributionInput(input.output(), input.lineage(), new Evidence(more),
                input.policy());

        Fraction before = assetValue(AttributionEngine.attribute(input), chosen.assetId());
        Fraction after = assetValue(AttributionEngine.attribute(boosted), chosen.assetId());
        assertThat(after).isGreaterThanOrEqualTo(before);
        assertThat(roundedShareOfSoleCreator(boosted, chosen.assetId()))
                .isGreaterThanOrEqualTo(roundedShareOfSoleCreator(input, chosen.assetId()));
    }

    @Property(tries = 300)
    void depthTenChainRespectsTheDepthLimitAndTheMinimumShare(@ForAll @IntRange(min = 0, max = 12) int depthLimit,
            @ForAll @IntRange(min = 0, max = 1_000_000) int upstreamPpm,
            @ForAll @IntRange(min = 0, max = 300_000) int minimumPpm) {
        // m0 (the output's model) FINETUNED_FROM m1 … FINETUNED_FROM m10, each built by its own contributor.
        List<LineageNode> nodes = new ArrayList<>();
        List<LineageEdge> edges = new ArrayList<>();
        for (int m = 0; m <= 10; m++) {
            nodes.add(new LineageNode("m" + m, AssetKind.MODEL, List.of(new Creator("builder-" + m, 1_000_000))));
            if (m > 0) {
                edges.add(new LineageEdge("m" + (m - 1), "m" + m, EdgeType.FINETUNED_FROM));
            }
        }
        Policy policy = new Policy(Map.of(Role.TRAINING_DATA, 0L, Role.ARCHITECTURE, 0L,
                Role.MODEL_BUILDERS, 1_000_000L, Role.PROMPT, 0L, Role.REVIEW, 0L),
                upstreamPpm, depthLimit, minimumPpm, 0);

        AttributionResult result = AttributionEngine.attribute(new AttributionInput(
                new OutputAssets("m0", null, List.of()), new LineageSnapshot(nodes, edges), null, policy));

        // The walk, restated: model k receives `incoming`; it passes u·incoming on while k < depth limit,
        // a base exists and that is at least the minimum share.
        Fraction incoming = Fraction.ONE;
        for (int m = 0; m <= 10; m++) {
            Fraction up = incoming.scale(upstreamPpm, 1_000_000);
            boolean passes = m < depthLimit && m < 10 && upstreamPpm > 0 && !up.isZero()
                    && up.compareTo(Fraction.of(minimumPpm, 1_000_000)) >= 0;
            Fraction kept = passes ? incoming.subtract(up) : incoming;
            assertThat(valueOf(result, "builder-" + m)).as("builder of m%d", m).isEqualTo(kept);
            if (m > 0 && !kept.isZero()) {
                assertThat(m).isLessThanOrEqualTo(depthLimit);
                assertThat(incoming).isGreaterThanOrEqualTo(Fraction.of(minimumPpm, 1_000_000));
            }
            incoming = passes ? up : Fraction.ZERO;
        }
        assertThat(result.credits()).allSatisfy(credit ->
                assertThat(credit.assetPath().size() - 1).isLessThanOrEqualTo(depthLimit));
    }

    private static Fraction assetValue(AttributionResult result, String assetId) {
        Fraction total = Fraction.ZERO;
        for (PathCredit credit : result.credits()) {
            if (credit.role() == Role.TRAINING_DATA && credit.assetPath().size() == 2
                    && credit.assetId().equals(assetId)) {
                total = total.add(credit.value());
            }
        }
        return total;
    }

    /** The ppm share of a contributor made the sole creator of the asset (and of nothing else). */
    private static long roundedShareOfSoleCreator(AttributionInput input, String assetId) {
        List<LineageNode> nodes = input.lineage().nodes().stream()
                .map(node -> node.assetId().equals(assetId)
                        ? new LineageNode(assetId, node.kind(), List.of(new Creator("sole", 1_000_000)))
                        : node)
                .toList();
        AttributionResult result = AttributionEngine.attribute(new AttributionInput(input.output(),
                new LineageSnapshot(nodes, input.lineage().edges()), input.evidence(), input.policy()));
        return result.shares().stream().filter(s -> s.contributorId().equals("sole"))
                .mapToLong(ContributorShare::sharePpm).sum();
    }

    private static Fraction valueOf(AttributionResult result, String contributorId) {
        Fraction total = Fraction.ZERO;
        for (PathCredit credit : result.credits()) {
            if (credit.contributorId().equals(contributorId)) {
                total = total.add(credit.value());
            }
        }
        return total;
    }

    private static <T> List<T> shuffle(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }
}
