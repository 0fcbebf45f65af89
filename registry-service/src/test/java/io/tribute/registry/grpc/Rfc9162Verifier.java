package io.tribute.registry.grpc;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * An inclusion-proof verifier written from RFC 9162 section 2.1.3.2 for the tests, independent of the code
 * under test (which uses io.tribute.common.merkle).
 */
final class Rfc9162Verifier {

    private Rfc9162Verifier() {
    }

    static byte[] sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prefix);
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9162 2.1.1 MTH over leaf data, recursively (for small trees built in the test). */
    static byte[] root(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return sha256((byte) 0, leaves.getFirst());
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return sha256((byte) 1, root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
    }

    /** RFC 9162 2.1.3.2, step by step. */
    static boolean verify(long leafIndex, long treeSize, String leafHashHex, List<String> pathHex, String rootHex) {
        if (leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = HexFormat.of().parseHex(leafHashHex);
        for (String pHex : pathHex) {
            byte[] p = HexFormat.of().parseHex(pHex);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = sha256((byte) 1, p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = sha256((byte) 1, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && HexFormat.of().formatHex(r).equals(rootHex);
    }
}
