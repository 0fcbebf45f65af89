package io.tribute.common.merkle;

/**
 * Hashes of the perfect subtrees of one growing RFC 9162 tree: {@code hash(level, index)} is the root
 * over leaves {@code [index·2^level, (index+1)·2^level)}. Level 0 holds the leaf hashes. A tree kept in
 * memory ({@link MerkleTree}) or in a database (a log) answers proofs through this alone.
 */
@FunctionalInterface
public interface PerfectSubtrees {

    byte[] hash(int level, long index);
}
