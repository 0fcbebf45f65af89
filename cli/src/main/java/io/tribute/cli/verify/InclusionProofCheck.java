package io.tribute.cli.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An independent RFC 9162 (section 2.1.3.2) inclusion proof verifier, written from the RFC rather than shared
 * with the services, so that the CLI checks the log the way any outsider would.
 */
public final class InclusionProofCheck {

    private static final HexFormat HEX = HexFormat.of();

    private InclusionProofCheck() {
    }

    /** SHA-256(0x00 ‖ leaf data). */
    public static byte[] leafHash(byte[] leafData) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        return sha.digest(leafData);
    }

    /** The root hash the audit path leads to from {@code leafHash}, or null when the path cannot fit the tree. */
    public static byte[] rootFromPath(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> auditPath) {
        if (treeSize <= 0 || leafIndex < 0 || leafIndex >= treeSize) {
            return null;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : auditPath) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /** True if the hex audit path proves the hex leaf hash at {@code leafIndex} in a tree with the hex root. */
    public static boolean verify(long leafIndex, long treeSize, String leafHashHex, List<String> auditPathHex,
            String rootHashHex) {
        try {
            byte[] root = rootFromPath(leafIndex, treeSize, HEX.parseHex(leafHashHex),
                    auditPathHex.stream().map(HEX::parseHex).toList());
            return root != null && MessageDigest.isEqual(root, HEX.parseHex(rootHashHex));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
