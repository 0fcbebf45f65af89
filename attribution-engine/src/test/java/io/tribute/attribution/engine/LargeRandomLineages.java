package io.tribute.attribution.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Builds random, large attribution inputs from a seed: many scored items and datasets over a big contributor
 * pool, several creators per asset, branching finetune chains, scores of every scale (and some wider than a
 * long, or all equal), and sometimes invalid evidence (unknown, wrongly typed or twice-scored assets).
 */
final class LargeRandomLineages {

    private final Random random;
    private final List<LineageNode> nodes = new ArrayList<>();
    private final List<LineageEdge> edges = new ArrayList<>();
    private final int poolSize;

    private LargeRandomLineages(long seed) {
        this.random = new Random(seed);
        this.poolSize = 1 + random.nextInt(random.nextBoolean() ? 20 : 600);
    }

    static AttributionInput input(long seed) {
        return new LargeRandomLineages(seed).build();
    }

    private AttributionInput build() {
        int itemCount = random.nextInt(random.nextInt(4) == 0 ? 2_000 : 200);
        List<String> data = new ArrayList<>();
        for (int i = 0; i < itemCount; i++) {
            data.add(add("item-" + i, AssetKind.DATA_ITEM));
        }
        for (int i = 0; i < random.nextInt(6); i++) {
            String id = "dataset-" + i;
            List<Creator> items = new ArrayList<>();
            for (String contributor : contributors(random.nextInt(5))) {
                items.add(new Creator(contributor, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1_000_000)));
            }
            nodes.add(new LineageNode(id, AssetKind.DATASET, creators(), items));
            data.add(id);
        }
        List<String> architectures = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            architectures.add(add("arch-" + i, AssetKind.MODEL_ARCHITECTURE));
        }
        int modelCount = 1 + random.nextInt(6);
        List<String> models = new ArrayList<>();
        for (int m = 0; m < modelCount; m++) {
            String model = add("model-" + m, AssetKind.MODEL);
            if (m > 0) {
                edges.add(new LineageEdge(model, models.get(m - 1), EdgeType.FINETUNED_FROM));
                if (m > 1 && random.nextInt(3) == 0) {
                    edges.add(new LineageEdge(model, models.get(random.nextInt(m - 1)), EdgeType.FINETUNED_FROM));
                }
            }
            boolean declared = random.nextBoolean();
            int every = 1 + random.nextInt(4);
            for (String source : data) {
                if (random.nextInt(every) == 0) {
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
        if (!data.isEmpty() && random.nextInt(5) > 0) {
            List<InfluenceScore> scores = new ArrayList<>();
            int scaleSpread = random.nextInt(4);
            int baseScale = random.nextInt(12);
            // Equal scores give equal remainders: the rounding's tie-break by contributor id decides.
            BigDecimal same = random.nextInt(4) == 0 ? BigDecimal.valueOf(1 + random.nextInt(1_000), baseScale) : null;
            for (String source : data) {
                if (random.nextInt(4) > 0) {
                    scores.add(new InfluenceScore(source, same != null ? same : score(scaleSpread, baseScale)));
                }
            }
            if (random.nextInt(12) == 0) {
                scores.add(new InfluenceScore(random.nextBoolean() ? "unknown-asset" : models.getFirst(),
                        BigDecimal.ONE));
                scores.add(new InfluenceScore(random.nextBoolean() ? "unknown-2" : models.getLast(), BigDecimal.TEN));
            }
            if (random.nextInt(20) == 0 && !scores.isEmpty()) {
                scores.add(scores.get(random.nextInt(scores.size())));
            }
            Collections.shuffle(scores, random);
            evidence = scores.isEmpty() ? null : new Evidence(scores);
        }
        return new AttributionInput(new OutputAssets(models.getLast(), prompt, reviews),
                new LineageSnapshot(nodes, edges), evidence, RandomLineages.policy(random));
    }

    private BigDecimal score(int scaleSpread, int baseScale) {
        BigInteger unscaled = switch (random.nextInt(10)) {
            case 0 -> BigInteger.valueOf(random.nextLong(-1_000_000, 1));
            case 1 -> new BigInteger(64 + random.nextInt(80), random);
            case 2 -> BigInteger.valueOf(random.nextLong(0, Long.MAX_VALUE));
            default -> BigInteger.valueOf(random.nextLong(0, 100_000_000));
        };
        int scale = scaleSpread == 0 ? baseScale : baseScale - 3 + random.nextInt(scaleSpread * 8);
        return new BigDecimal(unscaled, scale);
    }

    private String add(String id, AssetKind kind) {
        nodes.add(new LineageNode(id, kind, creators()));
        return id;
    }

    private List<Creator> creators() {
        List<String> who = contributors(1 + random.nextInt(random.nextBoolean() ? 1 : 3));
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
        List<String> chosen = new ArrayList<>();
        while (chosen.size() < Math.min(count, poolSize)) {
            String contributor = "contributor-" + random.nextInt(poolSize);
            if (!chosen.contains(contributor)) {
                chosen.add(contributor);
            }
        }
        return chosen;
    }
}
