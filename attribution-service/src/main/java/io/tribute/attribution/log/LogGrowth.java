package io.tribute.attribution.log;

import io.tribute.common.merkle.MerkleHashing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How appending leaves grows the stored perfect subtrees of an RFC 9162 log (pure computation). */
public final class LogGrowth {

    private LogGrowth() {
    }

    /**
     * The right frontier of a tree of {@code size} leaves: one complete subtree per set bit of size, which
     * are the only existing nodes that new leaves can be combined with.
     */
    public static List<NodeKey> frontier(long size) {
        List<NodeKey> keys = new ArrayList<>();
        for (int level = 0; level < Long.SIZE - 1; level++) {
            if ((size >>> level & 1) == 1) {
                keys.add(new NodeKey(level, (size >>> level) - 1));
            }
        }
        return keys;
    }

    /**
     * The nodes (leaf hashes and every perfect subtree they complete) that appending {@code leafData} at
     * {@code size} creates, in creation order.
     *
     * @param frontier the hashes of {@link #frontier(long) frontier(size)}
     */
    public static Map<NodeKey, byte[]> newNodes(long size, Map<NodeKey, byte[]> frontier, List<byte[]> leafData) {
        Map<NodeKey, byte[]> known = new HashMap<>(frontier);
        Map<NodeKey, byte[]> created = new LinkedHashMap<>();
        long index = size;
        for (byte[] data : leafData) {
            int level = 0;
            long position = index;
            byte[] hash = MerkleHashing.leafHash(data);
            put(known, created, new NodeKey(level, position), hash);
            while ((position & 1) == 1) {
                byte[] left = known.get(new NodeKey(level, position - 1));
                if (left == null) {
                    throw new IllegalStateException("the log lacks node " + level + "/" + (position - 1));
                }
                hash = MerkleHashing.nodeHash(left, hash);
                level++;
                position >>>= 1;
                put(known, created, new NodeKey(level, position), hash);
            }
            index++;
        }
        return created;
    }

    private static void put(Map<NodeKey, byte[]> known, Map<NodeKey, byte[]> created, NodeKey key, byte[] hash) {
        known.put(key, hash);
        created.put(key, hash);
    }
}
