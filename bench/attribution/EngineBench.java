import io.tribute.attribution.engine.AssetKind;
import io.tribute.attribution.engine.AttributionEngine;
import io.tribute.attribution.engine.AttributionInput;
import io.tribute.attribution.engine.Creator;
import io.tribute.attribution.engine.EdgeType;
import io.tribute.attribution.engine.Evidence;
import io.tribute.attribution.engine.InfluenceScore;
import io.tribute.attribution.engine.LineageEdge;
import io.tribute.attribution.engine.LineageNode;
import io.tribute.attribution.engine.LineageSnapshot;
import io.tribute.attribution.engine.OutputAssets;
import io.tribute.attribution.engine.Policy;
import io.tribute.attribution.engine.Role;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Throughput and latency of the attribution engine alone (no gRPC, no database): an output of a 3-deep
 * finetune chain (m0 → m1 → m2 → m3) with N influence scores over N data items, default policy.
 * Usage: java -cp <engine+common classes> EngineBench.java [scores] [seconds]
 */
public class EngineBench {

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? new int[] {Integer.parseInt(args[0])} : new int[] {100, 10_000};
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        for (int scores : sizes) {
            run(input(scores), scores, seconds);
        }
    }

    private static void run(AttributionInput input, int scores, double seconds) {
        long warmUntil = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmUntil) {
            AttributionEngine.attribute(input);
        }
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            AttributionEngine.attribute(input);
            latencies.add(System.nanoTime() - t);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        System.out.printf("engine, %,d scores, 3-deep finetune chain: %,.0f attributions/s on one thread, "
                        + "p50 %.3f ms, p99 %.3f ms (%,d runs)%n", scores, sorted.length / elapsed,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted.length);
    }

    private static AttributionInput input(int scoreCount) {
        Random random = new Random(42);
        List<LineageNode> nodes = new ArrayList<>();
        List<LineageEdge> edges = new ArrayList<>();
        for (int m = 0; m <= 3; m++) {
            nodes.add(node("m" + m, AssetKind.MODEL, "builder-" + m));
            if (m > 0) {
                edges.add(new LineageEdge("m" + (m - 1), "m" + m, EdgeType.FINETUNED_FROM));
            }
        }
        nodes.add(node("arch", AssetKind.MODEL_ARCHITECTURE, "architect"));
        edges.add(new LineageEdge("m3", "arch", EdgeType.USES_ARCHITECTURE));
        nodes.add(node("prompt", AssetKind.PROMPT, "prompter"));
        List<InfluenceScore> scores = new ArrayList<>();
        for (int i = 0; i < scoreCount; i++) {
            String item = "item-" + i;
            nodes.add(node(item, AssetKind.DATA_ITEM, "creator-" + random.nextInt(Math.max(1, scoreCount / 4))));
            edges.add(new LineageEdge("m" + (i % 4), item, EdgeType.TRAINED_ON));
            scores.add(new InfluenceScore(item, new BigDecimal(random.nextLong(-1_000_000, 100_000_000))
                    .scaleByPowerOfTen(-9)));
        }
        Policy policy = new Policy(Map.of(Role.TRAINING_DATA, 400_000L, Role.ARCHITECTURE, 100_000L,
                Role.MODEL_BUILDERS, 250_000L, Role.PROMPT, 150_000L, Role.REVIEW, 100_000L), 300_000, 8, 100, 700_000);
        return new AttributionInput(new OutputAssets("m0", "prompt", List.of()), new LineageSnapshot(nodes, edges),
                new Evidence(scores), policy);
    }

    private static LineageNode node(String id, AssetKind kind, String creator) {
        return new LineageNode(id, kind, List.of(new Creator(creator, 1_000_000)));
    }
}
