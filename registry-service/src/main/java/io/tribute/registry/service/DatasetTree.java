package io.tribute.registry.service;

import io.tribute.common.merkle.MerkleHashing;
import io.tribute.common.merkle.PerfectSubtrees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private final Map<Long, byte[]> leaves;
    private final Map<String, byte[]> stored;

    private DatasetTree(Map<Long, byte[]> leaves, Map<String, byte[]> stored) {
        this.leaves = leaves;
        this.stored = stored;
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
        return new DatasetTree(new LeafWindow(sortedItems), stored);
    }

    /** A tree answering only from the given leaves (index → item hash) and stored subtrees ("level/index"). */
    public static DatasetTree of(Map<Long, byte[]> leaves, Map<String, byte[]> stored) {
        return new DatasetTree(leaves, stored);
    }

    public static String key(int level, long index) {
        return level + "/" + index;
    }

    /** The stored subtrees, for insertion: {level, index, hash}. */
    public List<Object[]> storedSubtrees() {
        List<Object[]> rows = new ArrayList<>(stored.size());
        stored.forEach((key, hash) -> {
            int slash = key.indexOf('/');
            rows.add(new Object[] {Short.parseShort(key.substring(0, slash)), Long.parseLong(key.substring(slash + 1)),
                    hash});
        });
        return rows;
    }

    @Override
    public byte[] hash(int level, long index) {
        if (level >= CHUNK_LEVEL) {
            byte[] hash = stored.get(key(level, index));
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
            byte[] item = leaves.get(first);
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

    /** All leaves in memory (at registration), looked up by index. */
    private static final class LeafWindow extends java.util.AbstractMap<Long, byte[]> {
        private final byte[][] items;

        LeafWindow(byte[][] items) {
            this.items = items;
        }

        @Override
        public byte[] get(Object key) {
            long index = (Long) key;
            return index >= 0 && index < items.length ? items[(int) index] : null;
        }

        @Override
        public java.util.Set<Entry<Long, byte[]>> entrySet() {
            throw new UnsupportedOperationException();
        }
    }
}
