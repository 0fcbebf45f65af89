package io.tribute.attribution.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributions computed by hand (the arithmetic is in the comments) and pinned exactly. */
class GoldenAttributionTest {

    /** Tribute's default policy: data 40 %, architecture 10 %, builders 25 %, prompt 15 %, review 10 %. */
    static final Policy DEFAULT = new Policy(Map.of(Role.TRAINING_DATA, 400_000L, Role.ARCHITECTURE, 100_000L,
            Role.MODEL_BUILDERS, 250_000L, Role.PROMPT, 150_000L, Role.REVIEW, 100_000L),
            300_000, 8, 100, 700_000);

    @Test
    void finetuneWithPromptPassesThirtyPercentToItsBaseModel() {
        // ft (alice) FINETUNED_FROM base (bob 60 %, carol 40 %); ft TRAINED_ON item (heidi);
        // base USES_ARCHITECTURE arch (dave), base TRAINED_ON dataset (curator erin; items frank 3 : grace 1).
        // Output: model ft, prompt (ivan), no review.
        LineageSnapshot lineage = new LineageSnapshot(List.of(
                node("ft", AssetKind.MODEL, "alice"),
                new LineageNode("base", AssetKind.MODEL,
                        List.of(new Creator("bob", 600_000), new Creator("carol", 400_000))),
                node("item", AssetKind.DATA_ITEM, "heidi"),
                node("arch", AssetKind.MODEL_ARCHITECTURE, "dave"),
                new LineageNode("dataset", AssetKind.DATASET, List.of(new Creator("erin", 1_000_000)),
                        List.of(new Creator("frank", 3), new Creator("grace", 1))),
                node("prompt", AssetKind.PROMPT, "ivan")), List.of(
                new LineageEdge("ft", "base", EdgeType.FINETUNED_FROM),
                new LineageEdge("ft", "item", EdgeType.TRAINED_ON),
                new LineageEdge("base", "arch", EdgeType.USES_ARCHITECTURE),
                new LineageEdge("base", "dataset", EdgeType.TRAINED_ON)));

        AttributionResult result = AttributionEngine.attribute(new AttributionInput(
                new OutputAssets("ft", "prompt", List.of()), lineage, null, DEFAULT));

        // Review is absent: the present weights sum to 900,000, so data 4/9, architecture 1/9 (the base model
        // in the royalty stack has one), builders 5/18, prompt 1/6 → ivan 1/6.
        // Model side: 4/9 + 1/9 + 5/18 = 5/6. ft passes 30 % up: 1/4 ≥ 100 ppm → base gets 1/4, ft keeps 7/12.
        // At ft (builders, data; no architecture): 650,000 → data 7/12·40/65 = 14/39 (heidi),
        //   builders 7/12·25/65 = 35/156 (alice).
        // At base (builders, architecture, data): 750,000 → builders 1/4·25/75 = 1/12 (bob 1/20, carol 1/30),
        //   architecture 1/4·10/75 = 1/30 (dave), data 1/4·40/75 = 2/15 → dataset: items 70 % = 7/75
        //   (frank 3/4 → 7/100, grace 1/4 → 7/300), curator 30 % = 1/25 (erin).
        // In ppm: heidi 358974.36, alice 224358.97, ivan 166666.67, frank 70000, bob 50000, erin 40000,
        //   carol 33333.33, dave 33333.33, grace 23333.33. Floors sum to 999,997: the 3 leftover ppm go to the
        //   largest remainders, alice (.97), ivan (.67), heidi (.36).
        assertThat(result.shares()).extracting(ContributorShare::contributorId, ContributorShare::sharePpm)
                .containsExactly(
                        tuple("heidi", 358_975L), tuple("alice", 224_359L), tuple("ivan", 166_667L),
                        tuple("frank", 70_000L), tuple("bob", 50_000L), tuple("erin", 40_000L),
                        tuple("carol", 33_333L), tuple("dave", 33_333L), tuple("grace", 23_333L));
        assertThat(share(result, "heidi").exactValue()).isEqualTo(Fraction.of(14, 39));
        assertThat(share(result, "frank").paths()).singleElement().satisfies(path -> {
            assertThat(path.role()).isEqualTo(Role.TRAINING_DATA);
            assertThat(path.assetPath()).containsExactly("ft", "base", "dataset");
            assertThat(path.viaDatasetItems()).isTrue();
            assertThat(path.contributionPpt()).isEqualTo(70_000_000_000L);
        });
        assertThat(share(result, "dave").paths()).singleElement().satisfies(path -> {
            assertThat(path.assetPath()).containsExactly("ft", "base", "arch");
            assertThat(path.contributionPpt()).isEqualTo(33_333_333_333L);
        });
        assertThat(share(result, "alice").paths()).singleElement()
                .satisfies(path -> assertThat(path.assetPath()).containsExactly("ft"));
    }

    @Test
    void influenceScoresSplitTheDataRoleAndNegativeScoresCountAsZero() {
        // model (alice) TRAINED_ON dataset (declared, but evidence overrides it); evidence: item 0.3 (heidi),
        // other item -2 (clipped), dataset 1e-1 (curator erin; items frank). No prompt, review, architecture.
        LineageSnapshot lineage = new LineageSnapshot(List.of(
                node("model", AssetKind.MODEL, "alice"),
                node("item", AssetKind.DATA_ITEM, "heidi"),
                node("other", AssetKind.DATA_ITEM, "oscar"),
                new LineageNode("dataset", AssetKind.DATASET, List.of(new Creator("erin", 1_000_000)),
                        List.of(new Creator("frank", 5)))), List.of(
                new LineageEdge("model", "dataset", EdgeType.TRAINED_ON)));
        Evidence evidence = new Evidence(List.of(
                new InfluenceScore("item", new BigDecimal("0.3")),
                new InfluenceScore("other", new BigDecimal("-2")),
                new InfluenceScore("dataset", new BigDecimal("1e-1"))));

        AttributionResult result = AttributionEngine.attribute(new AttributionInput(
                new OutputAssets("model", null, List.of()), lineage, evidence, DEFAULT));

        // Present: data and builders, 650,000 → data 8/13, builders 5/13 (alice).
        // Scores 0.3 and 0.1 (-2 → 0): item 3/4·8/13 = 6/13 (heidi); dataset 2/13 → items 70 % = 7/65 (frank),
        //   curator 3/65 (erin). The model keeps its model side (no base): builders only, 5/13 (alice).
        // In ppm: heidi 461538.46, alice 384615.38, frank 107692.31, erin 46153.85 → floors sum to 999,998;
        //   the 2 leftover go to erin (.85) and heidi (.46). oscar gets nothing.
        assertThat(result.shares()).extracting(ContributorShare::contributorId, ContributorShare::sharePpm)
                .containsExactly(tuple("heidi", 461_539L), tuple("alice", 384_615L), tuple("frank", 107_692L),
                        tuple("erin", 46_154L));
        assertThat(share(result, "heidi").paths()).singleElement()
                .satisfies(path -> assertThat(path.assetPath()).containsExactly("model", "item"));
    }

    @Test
    void equalRemaindersGoToTheSmallestContributorId() {
        // A policy giving everything to reviews; three reviews by c-3, c-1, c-2: each exactly 1/3 =
        // 333333.33 ppm; the one leftover ppm goes to the smallest id, c-1. The model's builders weigh 0.
        Policy reviewsOnly = new Policy(Map.of(Role.TRAINING_DATA, 0L, Role.ARCHITECTURE, 0L,
                Role.MODEL_BUILDERS, 0L, Role.PROMPT, 0L, Role.REVIEW, 1_000_000L), 0, 0, 0, 0);
        LineageSnapshot lineage = new LineageSnapshot(List.of(node("model", AssetKind.MODEL, "alice"),
                node("r3", AssetKind.REVIEW, "c-3"), node("r1", AssetKind.REVIEW, "c-1"),
                node("r2", AssetKind.REVIEW, "c-2")), List.of());

        AttributionResult result = AttributionEngine.attribute(new AttributionInput(
                new OutputAssets("model", null, List.of("r3", "r1", "r2")), lineage, null, reviewsOnly));

        assertThat(result.shares()).extracting(ContributorShare::contributorId, ContributorShare::sharePpm)
                .containsExactly(tuple("c-1", 333_334L), tuple("c-2", 333_333L), tuple("c-3", 333_333L));
    }

    @Test
    void royaltyWalkStopsWhereThePassedValueFallsBelowTheMinimumShare() {
        // Chain m0 → m1 → m2 → m3 (FINETUNED_FROM), builders only; policy: builders 100 %, 50 % passed up,
        // minimum 200,000 ppm. m0 passes 1/2 (≥ 1/5) → m1 passes 1/4 (≥ 1/5) → m2 would pass 1/8 < 1/5: stops.
        // m0 keeps 1/2, m1 keeps 1/4, m2 keeps all its 1/4, m3 gets nothing.
        Policy halfUp = new Policy(Map.of(Role.TRAINING_DATA, 0L, Role.ARCHITECTURE, 0L,
                Role.MODEL_BUILDERS, 1_000_000L, Role.PROMPT, 0L, Role.REVIEW, 0L), 500_000, 8, 200_000, 0);
        LineageSnapshot lineage = new LineageSnapshot(List.of(node("m0", AssetKind.MODEL, "a0"),
                node("m1", AssetKind.MODEL, "a1"), node("m2", AssetKind.MODEL, "a2"),
                node("m3", AssetKind.MODEL, "a3")), List.of(
                new LineageEdge("m0", "m1", EdgeType.FINETUNED_FROM),
                new LineageEdge("m1", "m2", EdgeType.FINETUNED_FROM),
                new LineageEdge("m2", "m3", EdgeType.FINETUNED_FROM)));

        AttributionResult result = AttributionEngine.attribute(new AttributionInput(
                new OutputAssets("m0", null, List.of()), lineage, null, halfUp));

        assertThat(result.shares()).extracting(ContributorShare::contributorId, ContributorShare::sharePpm)
                .containsExactly(tuple("a0", 500_000L), tuple("a1", 250_000L), tuple("a2", 250_000L));
        assertThat(share(result, "a2").paths().getFirst().assetPath()).containsExactly("m0", "m1", "m2");
    }

    static LineageNode node(String id, AssetKind kind, String creator) {
        return new LineageNode(id, kind, List.of(new Creator(creator, 1_000_000)));
    }

    static ContributorShare share(AttributionResult result, String contributorId) {
        return result.shares().stream().filter(s -> s.contributorId().equals(contributorId)).findFirst()
                .orElseThrow();
    }
}
