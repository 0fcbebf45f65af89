package io.tribute.attribution.log;

import io.tribute.common.merkle.MerkleHashing;
import io.tribute.common.merkle.PerfectSubtrees;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds which perfect subtrees a root or proof needs by running the computation once on placeholders, so
 * they can be read from the database in one query (O(log n) rows), then serves them from that read.
 */
public final class ProofPlan {

    private static final byte[] PLACEHOLDER = new byte[MerkleHashing.HASH_LENGTH];

    private ProofPlan() {
    }

    /** The subtrees that {@code computation} reads. */
    public static Set<NodeKey> nodesRead(Consumer<PerfectSubtrees> computation) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        computation.accept((level, index) -> {
            keys.add(new NodeKey(level, index));
            return PLACEHOLDER;
        });
        return keys;
    }

    /** Serves subtrees from a map read beforehand; a missing one means the log is corrupt or not yet that big. */
    public static PerfectSubtrees from(Map<NodeKey, byte[]> nodes) {
        return (level, index) -> {
            byte[] hash = nodes.get(new NodeKey(level, index));
            if (hash == null) {
                throw new IllegalStateException("the log lacks node " + level + "/" + index);
            }
            return hash;
        };
    }
}
