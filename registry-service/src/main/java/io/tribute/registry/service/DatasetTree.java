package io.tribute.registry.service;

import io.tribute.common.merkle.MerkleHashing;
import io.tribute.common.merkle.PerfectSubtrees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The RFC 9162 tree of a dataset (leaf data = the 32-byte item hashes in ascending order), as stored: the
 * perfect subtrees of {@link #CHUNK_LEVEL} and above are kept (table dataset_subtree, about n/8 rows); a
 * lower subtree lies inside one chunk of 2^CHUNK_LEVEL leaves and is recomputed from that chunk's leaves, so a
 * proof reads at most two chunks of 16 leaves and hashes a few dozen nodes.
 */
public final class DatasetTree implements PerfectSubtrees {

    /**
     * Subtrees of 2^4 = 16 leaves and larger are stored; changing it needs the stored trees rebuilt (as
     * V20__dataset_subtrees_of_16_leaves.sql did when it went from 8 to 4).
     */
    public static final int CHUNK_LEVEL = 4;
    public static final long CHUNK_SIZE = 1L << CHUNK_LEVEL;

    /** Item hash by leaf index; null for a leaf not read. */
    private final LongFunction<byte[]> leaves;
    /** Stored subtree hash by level and index; null for one not read. */
    private final PerfectSubtrees stored;
    /** The subtrees to store, when the tree was built from all its leaves ("level/index"); else empty. */
    private final Map<String, byte[]> built;

    private DatasetTree(LongFunction<byte[]> leaves, PerfectSubtrees stored, Map<String, byte[]> built) {
        this.leaves = leaves;
        this.stored = stored;
        this.built = built;
    }

    /** The tree over all leaves (sorted item hashes), with every stored subtree computed. */
    public static DatasetTree build(byte[][] sortedItems) {
        long fullChunks = sortedItems.length / CHUNK_SIZE;
        Map<String, byte[]> stored = new HashMap<>();
        byte[][] level = new byte[(int) fullChunks][];
        for (int c = 0; c < fullChunks; c++) {
            level[c] = chunkRoot(sortedItems, c * (int) CHUNK_SIZE);
            stored.put(key(CHUNK_LEVEL, c), level[c]);
        }
        for (int height = CHUNK_LEVEL + 1; level.length > 1; height++) {
            byte[][] up = new byte[level.length / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = MerkleHashing.nodeHash(level[2 * i], level[2 * i + 1]);
                stored.put(key(height, i), up[i]);
            }
            level = up;
        }
        return new DatasetTree(index -> index >= 0 && index < sortedItems.length ? sortedItems[(int) index] : null,
                (height, index) -> stored.get(key(height, index)), stored);
    }

    /** A tree answering only from the given leaves (index → item hash) and stored subtrees ("level/index"). */
    public static DatasetTree of(Map<Long, byte[]> leaves, Map<String, byte[]> stored) {
        return new DatasetTree(leaves::get, (level, index) -> stored.get(key(level, index)), Map.of());
    }

    /** A tree answering from lookups of item hashes by leaf index and of stored subtrees (null when absent). */
    public static DatasetTree of(LongFunction<byte[]> leaves, PerfectSubtrees stored) {
        return new DatasetTree(leaves, stored, Map.of());
    }

    public static String key(int level, long index) {
        return level + "/" + index;
    }

    /** The stored subtrees, for insertion: {level, index, hash}. */
    public List<Object[]> storedSubtrees() {
        List<Object[]> rows = new ArrayList<>(built.size());
        built.forEach((key, hash) -> {
            int slash = key.indexOf('/');
            rows.add(new Object[] {Short.parseShort(key.substring(0, slash)), Long.parseLong(key.substring(slash + 1)),
                    hash});
        });
        return rows;
    }

    @Override
    public byte[] hash(int level, long index) {
        if (level >= CHUNK_LEVEL) {
            byte[] hash = stored.hash(level, index);
            if (hash == null) {
                throw new IllegalStateException("subtree " + key(level, index) + " is not stored");
            }
            return hash;
        }
        long first = index << level;
        return subtree(first, 1L << level);
    }

    private byte[] subtree(long first, long count) {
        if (count == 1) {
            byte[] item = leaves.apply(first);
            if (item == null) {
                throw new IllegalStateException("leaf " + first + " was not read");
            }
            return MerkleHashing.leafHash(item);
        }
        long half = count / 2;
        return MerkleHashing.nodeHash(subtree(first, half), subtree(first + half, half));
    }

    private static byte[] chunkRoot(byte[][] items, int first) {
        byte[][] level = new byte[(int) CHUNK_SIZE][];
        for (int i = 0; i < level.length; i++) {
            level[i] = MerkleHashing.leafHash(items[first + i]);
        }
        for (int width = level.length; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                level[i] = MerkleHashing.nodeHash(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }
}
