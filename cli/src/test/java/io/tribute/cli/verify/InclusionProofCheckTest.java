package io.tribute.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribute.common.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's own RFC 9162 verifier agrees with the services' Merkle tree, and rejects altered proofs. */
class InclusionProofCheckTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyLeafOfEveryTreeSizeUpTo33Verifies() {
        for (int size = 1; size <= 33; size++) {
            MerkleTree tree = MerkleTree.ofLeaves(leaves(size));
            String root = HEX.formatHex(tree.root());
            for (int index = 0; index < size; index++) {
                assertThat(InclusionProofCheck.verify(index, size, leafHashHex(index), path(tree, index), root))
                        .as("leaf %d of %d", index, size).isTrue();
            }
        }
    }

    @Test
    void alteredProofsDoNotVerify() {
        MerkleTree tree = MerkleTree.ofLeaves(leaves(11));
        String root = HEX.formatHex(tree.root());
        List<String> path = path(tree, 6);
        List<String> alteredPath = new ArrayList<>(path);
        alteredPath.set(1, leafHashHex(99));

        assertThat(InclusionProofCheck.verify(6, 11, leafHashHex(6), path, root)).isTrue();
        assertThat(InclusionProofCheck.verify(6, 11, leafHashHex(7), path, root)).as("other leaf").isFalse();
        assertThat(InclusionProofCheck.verify(5, 11, leafHashHex(6), path, root)).as("other index").isFalse();
        assertThat(InclusionProofCheck.verify(6, 7, leafHashHex(6), path, root)).as("other size").isFalse();
        assertThat(InclusionProofCheck.verify(6, 11, leafHashHex(6), alteredPath, root)).as("altered path").isFalse();
        assertThat(InclusionProofCheck.verify(6, 11, leafHashHex(6), path.subList(0, 2), root)).as("short path").isFalse();
        assertThat(InclusionProofCheck.verify(11, 11, leafHashHex(6), path, root)).as("index beyond size").isFalse();
    }

    private static List<byte[]> leaves(int size) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            leaves.add(("leaf " + i).getBytes(StandardCharsets.UTF_8));
        }
        return leaves;
    }

    private static String leafHashHex(int index) {
        return HEX.formatHex(InclusionProofCheck.leafHash(("leaf " + index).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> path(MerkleTree tree, int index) {
        return tree.inclusionPath(index).stream().map(HEX::formatHex).toList();
    }
}
