package io.tribute.common.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 tree held in memory with every perfect subtree hash, built once from its leaf hashes:
 * the root and any proof then cost O(log² n) hashes. A million leaves take about 64 MiB.
 */
public final class MerkleTree implements PerfectSubtrees {

    private final List<byte[][]> levels = new ArrayList<>();

    private MerkleTree(byte[][] leafHashes) {
        byte[][] level = leafHashes;
        levels.add(level);
        while (level.length > 1) {
            byte[][] parents = new byte[level.length / 2][];
            for (int i = 0; i < parents.length; i++) {
                parents[i] = MerkleHashing.nodeHash(level[2 * i], level[2 * i + 1]);
            }
            levels.add(parents);
            level = parents;
        }
    }

    /** The tree whose leaves have these hashes, in this order (each already SHA-256(0x00 ‖ data)). */
    public static MerkleTree ofLeafHashes(List<byte[]> leafHashes) {
        return new MerkleTree(leafHashes.toArray(byte[][]::new));
    }

    /** The tree over these leaf data, each hashed as a leaf. */
    public static MerkleTree ofLeaves(List<byte[]> leaves) {
        return new MerkleTree(leaves.stream().map(MerkleHashing::leafHash).toArray(byte[][]::new));
    }

    public long size() {
        return levels.getFirst().length;
    }

    public byte[] root() {
        return MerkleProofs.root(this, size());
    }

    public List<byte[]> inclusionPath(long index) {
        return MerkleProofs.inclusionPath(this, index, size());
    }

    public List<byte[]> consistencyProof(long oldSize) {
        return MerkleProofs.consistencyProof(this, oldSize, size());
    }

    @Override
    public byte[] hash(int level, long index) {
        if (level >= levels.size() || index >= levels.get(level).length) {
            throw new IllegalArgumentException("no complete subtree " + index + " at level " + level);
        }
        return levels.get(level)[(int) index];
    }
}
