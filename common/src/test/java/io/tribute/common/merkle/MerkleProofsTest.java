package io.tribute.common.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the tree against the recursive definitions of RFC 9162 section 2.1, written out again here
 * (MTH, PATH, PROOF over lists), for every size up to 70 and every leaf and prefix.
 */
class MerkleProofsTest {

    private static final int MAX_SIZE = 70;

    @Test
    void rootsMatchTheRfcDefinitionForEverySize() {
        for (int n = 0; n <= MAX_SIZE; n++) {
            List<byte[]> leaves = leaves(n);
            assertThat(MerkleTree.ofLeaves(leaves).root()).as("size %d", n).isEqualTo(Rfc.mth(leaves));
        }
    }

    @Test
    void emptyTreeHasTheHashOfNothingAsRoot() {
        assertThat(HexFormat.of().formatHex(MerkleTree.ofLeaves(List.of()).root()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void inclusionPathsMatchTheRfcAndVerify() {
        for (int n = 1; n <= MAX_SIZE; n++) {
            List<byte[]> leaves = leaves(n);
            MerkleTree tree = MerkleTree.ofLeaves(leaves);
            for (int m = 0; m < n; m++) {
                List<byte[]> path = tree.inclusionPath(m);
                assertThat(path).as("PATH(%d, D[%d])", m, n).containsExactlyElementsOf(Rfc.path(m, leaves));
                byte[] leafHash = MerkleHashing.leafHash(leaves.get(m));
                assertThat(MerkleVerifier.verifyInclusion(leafHash, m, n, path, tree.root())).isTrue();
            }
        }
    }

    @Test
    void consistencyProofsMatchTheRfcAndVerify() {
        for (int n = 1; n <= MAX_SIZE; n++) {
            List<byte[]> leaves = leaves(n);
            MerkleTree tree = MerkleTree.ofLeaves(leaves);
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = tree.consistencyProof(m);
                assertThat(proof).as("PROOF(%d, D[%d])", m, n).containsExactlyElementsOf(Rfc.proof(m, leaves));
                byte[] oldRoot = Rfc.mth(leaves.subList(0, m));
                assertThat(MerkleVerifier.verifyConsistency(m, n, proof, oldRoot, tree.root()))
                        .as("consistency %d -> %d", m, n).isTrue();
            }
        }
    }

    @Test
    void tamperedLeafPathOrRootIsRejected() {
        List<byte[]> leaves = leaves(13);
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        byte[] leafHash = MerkleHashing.leafHash(leaves.get(5));
        List<byte[]> path = tree.inclusionPath(5);

        assertThat(MerkleVerifier.verifyInclusion(MerkleHashing.leafHash("forged".getBytes()), 5, 13, path,
                tree.root())).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leafHash, 6, 13, path, tree.root())).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leafHash, 5, 13, path, flipped(tree.root()))).isFalse();
        List<byte[]> tamperedPath = new ArrayList<>(path);
        tamperedPath.set(1, flipped(path.get(1)));
        assertThat(MerkleVerifier.verifyInclusion(leafHash, 5, 13, tamperedPath, tree.root())).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leafHash, 5, 13, path.subList(0, 2), tree.root())).isFalse();
    }

    @Test
    void rewrittenHistoryFailsConsistency() {
        List<byte[]> leaves = leaves(20);
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(3, "rewritten".getBytes(StandardCharsets.UTF_8));
        MerkleTree forked = MerkleTree.ofLeaves(rewritten);
        byte[] oldRoot = Rfc.mth(leaves.subList(0, 7));

        assertThat(MerkleVerifier.verifyConsistency(7, 20, forked.consistencyProof(7), oldRoot, forked.root()))
                .isFalse();
        assertThat(MerkleVerifier.verifyConsistency(7, 20, tree.consistencyProof(7), oldRoot, flipped(tree.root())))
                .isFalse();
        assertThat(MerkleVerifier.verifyConsistency(8, 20, tree.consistencyProof(7), oldRoot, tree.root()))
                .isFalse();
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(("leaf " + i).getBytes(StandardCharsets.UTF_8));
        }
        return leaves;
    }

    private static byte[] flipped(byte[] hash) {
        byte[] copy = hash.clone();
        copy[0] ^= 1;
        return copy;
    }

    /** RFC 9162 section 2.1, transcribed: MTH, PATH and PROOF/SUBPROOF over lists of leaf data. */
    private static final class Rfc {

        static byte[] mth(List<byte[]> d) {
            if (d.isEmpty()) {
                return sha256(new byte[0]);
            }
            if (d.size() == 1) {
                return sha256(concat(new byte[] {0}, d.getFirst()));
            }
            int k = k(d.size());
            return sha256(concat(new byte[] {1}, mth(d.subList(0, k)), mth(d.subList(k, d.size()))));
        }

        static List<byte[]> path(int m, List<byte[]> d) {
            List<byte[]> result = new ArrayList<>();
            if (d.size() == 1) {
                return result;
            }
            int k = k(d.size());
            if (m < k) {
                result.addAll(path(m, d.subList(0, k)));
                result.add(mth(d.subList(k, d.size())));
            } else {
                result.addAll(path(m - k, d.subList(k, d.size())));
                result.add(mth(d.subList(0, k)));
            }
            return result;
        }

        static List<byte[]> proof(int m, List<byte[]> d) {
            return subproof(m, d, true);
        }

        private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
            List<byte[]> result = new ArrayList<>();
            int n = d.size();
            if (m == n) {
                if (!b) {
                    result.add(mth(d));
                }
                return result;
            }
            int k = k(n);
            if (m <= k) {
                result.addAll(subproof(m, d.subList(0, k), b));
                result.add(mth(d.subList(k, n)));
            } else {
                result.addAll(subproof(m - k, d.subList(k, n), false));
                result.add(mth(d.subList(0, k)));
            }
            return result;
        }

        private static int k(int n) {
            int k = 1;
            while (k * 2 < n) {
                k *= 2;
            }
            return k;
        }

        private static byte[] concat(byte[]... parts) {
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] result = new byte[length];
            int offset = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, result, offset, part.length);
                offset += part.length;
            }
            return result;
        }

        private static byte[] sha256(byte[] data) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(data);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
