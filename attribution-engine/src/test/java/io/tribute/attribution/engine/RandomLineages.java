package io.tribute.attribution.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds random but valid attribution inputs from a seed: lineages, evidence and policies. */
final class RandomLineages {

    private final Random random;
    private final List<LineageNode> nodes = new ArrayList<>();
    private final List<LineageEdge> edges = new ArrayList<>();

    private RandomLineages(long seed) {
        this.random = new Random(seed);
    }

    static AttributionInput input(long seed) {
        return new RandomLineages(seed).build();
    }

    private AttributionInput build() {
        List<String> data = new ArrayList<>();
        for (int i = 0; i < random.nextInt(6); i++) {
            data.add(add("item-" + i, AssetKind.DATA_ITEM));
        }
        for (int i = 0; i < random.nextInt(4); i++) {
            String id = "dataset-" + i;
            List<Creator> items = new ArrayList<>();
            for (String contributor : contributors(random.nextInt(4))) {
                items.add(new Creator(contributor, 1 + random.nextInt(1000)));
            }
            nodes.add(new LineageNode(id, AssetKind.DATASET, creators(), items));
            data.add(id);
        }
        List<String> architectures = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            architectures.add(add("arch-" + i, AssetKind.MODEL_ARCHITECTURE));
        }
        int modelCount = 1 + random.nextInt(5);
        List<String> models = new ArrayList<>();
        for (int m = 0; m < modelCount; m++) {
            String model = add("model-" + m, AssetKind.MODEL);
            if (m > 0) {
                edges.add(new LineageEdge(model, models.get(m - 1), EdgeType.FINETUNED_FROM));
                if (m > 1 && random.nextInt(4) == 0) {
                    edges.add(new LineageEdge(model, models.get(random.nextInt(m - 1)), EdgeType.FINETUNED_FROM));
                }
            }
            boolean declared = random.nextBoolean();
            for (String source : data) {
                if (random.nextInt(3) == 0) {
                    edges.add(new LineageEdge(model, source, EdgeType.TRAINED_ON,
                            declared ? random.nextInt(1_000_001) : 0));
                }
            }
            for (String architecture : architectures) {
                if (random.nextInt(2) == 0) {
                    edges.add(new LineageEdge(model, architecture, EdgeType.USES_ARCHITECTURE));
                }
            }
            for (int a = 0; a < random.nextInt(3); a++) {
                edges.add(new LineageEdge(model, add(model + "-adjustment-" + a, AssetKind.PARAMETER_ADJUSTMENT),
                        EdgeType.ADJUSTED_WITH));
            }
            models.add(model);
        }
        String prompt = random.nextBoolean() ? add("prompt", AssetKind.PROMPT) : null;
        List<String> reviews = new ArrayList<>();
        for (int r = 0; r < random.nextInt(4); r++) {
            reviews.add(add("review-" + r, AssetKind.REVIEW));
        }
        Evidence evidence = null;
        if (!data.isEmpty() && random.nextBoolean()) {
            List<InfluenceScore> scores = new ArrayList<>();
            for (String source : data) {
                if (random.nextInt(3) > 0) {
                    scores.add(new InfluenceScore(source, score()));
                }
            }
            evidence = scores.isEmpty() ? null : new Evidence(scores);
        }
        return new AttributionInput(new OutputAssets(models.getLast(), prompt, reviews),
                new LineageSnapshot(nodes, edges), evidence, policy(random));
    }

    static Policy policy(Random random) {
        long[] cuts = new long[6];
        cuts[5] = 1_000_000;
        for (int i = 1; i < 5; i++) {
            cuts[i] = random.nextInt(1_000_001);
        }
        java.util.Arrays.sort(cuts);
        Map<Role, Long> weights = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            weights.put(role, cuts[role.ordinal() + 1] - cuts[role.ordinal()]);
        }
        return new Policy(weights, random.nextInt(1_000_001), random.nextInt(11),
                random.nextInt(4) == 0 ? 0 : random.nextInt(50_000), random.nextInt(1_000_001));
    }

    private BigDecimal score() {
        BigDecimal unscaled = BigDecimal.valueOf(random.nextLong(-1_000_000, 10_000_000));
        return unscaled.scaleByPowerOfTen(-random.nextInt(20));
    }

    private String add(String id, AssetKind kind) {
        nodes.add(new LineageNode(id, kind, creators()));
        return id;
    }

    private List<Creator> creators() {
        List<String> who = contributors(1 + random.nextInt(3));
        List<Creator> creators = new ArrayList<>();
        long left = 1_000_000;
        for (int i = 0; i < who.size(); i++) {
            long share = i == who.size() - 1 ? left : random.nextLong(left + 1);
            creators.add(new Creator(who.get(i), share));
            left -= share;
        }
        return creators;
    }

    private List<String> contributors(int count) {
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add("contributor-" + i);
        }
        java.util.Collections.shuffle(pool, random);
        return pool.subList(0, count);
    }
}
