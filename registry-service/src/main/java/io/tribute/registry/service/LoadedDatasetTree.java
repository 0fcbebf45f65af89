package io.tribute.registry.service;

import java.util.Arrays;
import java.util.List;

/**
 * A dataset's tree read into memory for membership proofs: its members' hashes in leaf order (ascending, 32 bytes
 * each, in one array) and its stored subtrees, one array per level from {@link DatasetTree#CHUNK_LEVEL} up.
 */
public final class LoadedDatasetTree {

    private static final int HASH_BYTES = 32;

    private final byte[] datasetSha256;
    private final long itemCount;
    private final byte[] items;
    private final byte[][] subtreeLevels;

    private LoadedDatasetTree(byte[] datasetSha256, long itemCount, byte[] items, byte[][] subtreeLevels) {
        this.datasetSha256 = datasetSha256;
        this.itemCount = itemCount;
        this.items = items;
        this.subtreeLevels = subtreeLevels;
    }

    /**
     * The tree of a dataset of {@code itemCount} members from its items' hashes in leaf order (in consecutive
     * blocks) and its stored subtree hashes by level (index order), or null when they are not exactly what a tree
     * of that size stores.
     */
    static LoadedDatasetTree of(byte[] datasetSha256, long itemCount, List<byte[]> itemBlocks,
            List<byte[]> subtreesByLevel) {
        long itemBytes = itemBlocks.stream().mapToLong(block -> block.length).sum();
        if (itemBytes != itemCount * HASH_BYTES || subtreesByLevel.size() != storedLevels(itemCount)) {
            return null;
        }
        for (int i = 0; i < subtreesByLevel.size(); i++) {
            if (subtreesByLevel.get(i).length != (itemCount >> (DatasetTree.CHUNK_LEVEL + i)) * HASH_BYTES) {
                return null;
            }
        }
        byte[] items = new byte[Math.toIntExact(itemBytes)];
        int at = 0;
        for (byte[] block : itemBlocks) {
            System.arraycopy(block, 0, items, at, block.length);
            at += block.length;
        }
        return new LoadedDatasetTree(datasetSha256, itemCount, items, subtreesByLevel.toArray(byte[][]::new));
    }

    /** The levels holding stored subtrees in a dataset of n members: CHUNK_LEVEL up to the highest with one. */
    static int storedLevels(long itemCount) {
        return Math.max(0, 64 - Long.numberOfLeadingZeros(itemCount) - DatasetTree.CHUNK_LEVEL);
    }

    /** The memory a dataset of n members takes once loaded: its items' hashes and about n/8 subtree hashes. */
    static long bytesFor(long itemCount) {
        long hashes = itemCount;
        for (int level = DatasetTree.CHUNK_LEVEL; (itemCount >> level) > 0; level++) {
            hashes += itemCount >> level;
        }
        return hashes * HASH_BYTES;
    }

    long bytes() {
        return bytesFor(itemCount);
    }

    byte[] datasetSha256() {
        return datasetSha256;
    }

    long itemCount() {
        return itemCount;
    }

    /** The leaf index of a member's hash (binary search over the sorted leaves), or -1 for a non-member. */
    long leafIndexOf(byte[] itemSha256) {
        long low = 0;
        long high = itemCount - 1;
        while (low <= high) {
            long middle = (low + high) >>> 1;
            int from = Math.toIntExact(middle * HASH_BYTES);
            int order = Arrays.compareUnsigned(items, from, from + HASH_BYTES, itemSha256, 0, itemSha256.length);
            if (order == 0) {
                return middle;
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return -1;
    }

    DatasetTree tree() {
        return DatasetTree.of(this::item, this::storedSubtree);
    }

    private byte[] item(long leafIndex) {
        if (leafIndex < 0 || leafIndex >= itemCount) {
            return null;
        }
        int from = Math.toIntExact(leafIndex * HASH_BYTES);
        return Arrays.copyOfRange(items, from, from + HASH_BYTES);
    }

    private byte[] storedSubtree(int level, long index) {
        int i = level - DatasetTree.CHUNK_LEVEL;
        if (i < 0 || i >= subtreeLevels.length || index < 0 || index >= itemCount >> level) {
            return null;
        }
        int from = Math.toIntExact(index * HASH_BYTES);
        return Arrays.copyOfRange(subtreeLevels[i], from, from + HASH_BYTES);
    }
}
