package io.tribute.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribute.common.merkle.MerkleProofs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoadedDatasetTreeTest {

    @Test
    void findsEveryMemberByBinarySearchAndNoOther() {
        byte[][] members = sortedRandomHashes(1_000);
        LoadedDatasetTree tree = loaded(members);

        for (int i = 0; i < members.length; i++) {
            assertThat(tree.leafIndexOf(members[i])).isEqualTo(i);
        }
        byte[] outsider = members[500].clone();
        outsider[31]++;
        if (Arrays.equals(outsider, members[501])) {
            outsider[30]++;
        }
        assertThat(tree.leafIndexOf(outsider)).isEqualTo(-1);
        assertThat(tree.leafIndexOf(new byte[32])).isEqualTo(-1);
    }

    @Test
    void givesTheSameAuditPathsAsTheTreeBuiltFromAllLeaves() {
        for (int size : new int[] {1, 15, 16, 17, 300, 1_024}) {
            byte[][] members = sortedRandomHashes(size);
            DatasetTree built = DatasetTree.build(members);
            DatasetTree loaded = loaded(members).tree();
            for (int i = 0; i < size; i++) {
                List<String> expected = MerkleProofs.inclusionPath(built, i, size).stream().map(Arrays::toString).toList();
                assertThat(MerkleProofs.inclusionPath(loaded, i, size).stream().map(Arrays::toString).toList())
                        .as("leaf %d of %d", i, size).isEqualTo(expected);
            }
        }
    }

    @Test
    void refusesStoredHashesThatDoNotFitTheDatasetsSize() {
        byte[][] members = sortedRandomHashes(300);
        List<byte[]> items = blocks(members);
        List<byte[]> levels = subtreesByLevel(members);

        assertThat(LoadedDatasetTree.of(new byte[32], 300, items, levels)).isNotNull();
        assertThat(LoadedDatasetTree.of(new byte[32], 301, items, levels)).isNull();
        assertThat(LoadedDatasetTree.of(new byte[32], 300, items, levels.subList(0, levels.size() - 1))).isNull();
        List<byte[]> shortLevel = new ArrayList<>(levels);
        shortLevel.set(0, Arrays.copyOf(levels.get(0), levels.get(0).length - 32));
        assertThat(LoadedDatasetTree.of(new byte[32], 300, items, shortLevel)).isNull();
    }

    private static LoadedDatasetTree loaded(byte[][] members) {
        return LoadedDatasetTree.of(new byte[32], members.length, blocks(members), subtreesByLevel(members));
    }

    /** The subtrees DatasetTree.build stores, as the database returns them: one array per level, in index order. */
    private static List<byte[]> subtreesByLevel(byte[][] members) {
        List<Object[]> stored = DatasetTree.build(members).storedSubtrees();
        byte[][] levels = new byte[LoadedDatasetTree.storedLevels(members.length)][];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new byte[(members.length >> (DatasetTree.CHUNK_LEVEL + i)) * 32];
        }
        for (Object[] row : stored) {
            int level = (Short) row[0] - DatasetTree.CHUNK_LEVEL;
            System.arraycopy((byte[]) row[2], 0, levels[level], (int) (long) (Long) row[1] * 32, 32);
        }
        return List.of(levels);
    }

    /** The members' hashes as the database returns them: concatenated in blocks (here of 7 hashes). */
    private static List<byte[]> blocks(byte[][] hashes) {
        List<byte[]> blocks = new ArrayList<>();
        for (int from = 0; from < hashes.length; from += 7) {
            byte[] block = new byte[Math.min(7, hashes.length - from) * 32];
            for (int i = 0; i < block.length / 32; i++) {
                System.arraycopy(hashes[from + i], 0, block, i * 32, 32);
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static byte[][] sortedRandomHashes(int count) {
        Random random = new Random(count);
        byte[][] hashes = new byte[count][32];
        for (byte[] hash : hashes) {
            random.nextBytes(hash);
        }
        Arrays.sort(hashes, Arrays::compareUnsigned);
        return hashes;
    }
}
