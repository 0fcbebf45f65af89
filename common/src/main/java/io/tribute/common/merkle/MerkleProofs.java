package io.tribute.common.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Roots, inclusion proofs and consistency proofs of RFC 9162 (section 2.1) trees, computed from the
 * hashes of perfect subtrees, so a proof costs O(log² n) subtree look-ups however large the tree.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /** MTH(D[0:size]): the root of the first {@code size} leaves. */
    public static byte[] root(PerfectSubtrees tree, long size) {
        requireNonNegative(size, "size");
        return size == 0 ? MerkleHashing.emptyRoot() : rangeHash(tree, 0, size);
    }

    /** PATH(index, D[0:size]): the audit path from leaf {@code index} to the root, leaf level first. */
    public static List<byte[]> inclusionPath(PerfectSubtrees tree, long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        collectPath(tree, index, 0, size, path);
        return path;
    }

    /** PROOF(oldSize, D[0:newSize]): proves the tree of {@code oldSize} leaves is a prefix of the newer one. */
    public static List<byte[]> consistencyProof(PerfectSubtrees tree, long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from " + oldSize + " to " + newSize);
        }
        List<byte[]> proof = new ArrayList<>();
        if (oldSize > 0 && oldSize < newSize) {
            collectSubproof(tree, oldSize, 0, newSize, true, proof);
        }
        return proof;
    }

    /** The largest power of two strictly below {@code n} (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static byte[] rangeHash(PerfectSubtrees tree, long start, long end) {
        long size = end - start;
        if (Long.bitCount(size) == 1 && start % size == 0) {
            return tree.hash(Long.numberOfTrailingZeros(size), start / size);
        }
        long k = split(size);
        return MerkleHashing.nodeHash(rangeHash(tree, start, start + k), rangeHash(tree, start + k, end));
    }

    private static void collectPath(PerfectSubtrees tree, long index, long start, long end, List<byte[]> path) {
        long size = end - start;
        if (size == 1) {
            return;
        }
        long k = split(size);
        if (index < start + k) {
            collectPath(tree, index, start, start + k, path);
            path.add(rangeHash(tree, start + k, end));
        } else {
            collectPath(tree, index, start + k, end, path);
            path.add(rangeHash(tree, start, start + k));
        }
    }

    private static void collectSubproof(PerfectSubtrees tree, long m, long start, long end, boolean whole,
            List<byte[]> proof) {
        long size = end - start;
        if (m == size) {
            if (!whole) {
                proof.add(rangeHash(tree, start, end));
            }
            return;
        }
        long k = split(size);
        if (m <= k) {
            collectSubproof(tree, m, start, start + k, whole, proof);
            proof.add(rangeHash(tree, start + k, end));
        } else {
            collectSubproof(tree, m - k, start + k, end, false, proof);
            proof.add(rangeHash(tree, start, start + k));
        }
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
