package io.tribute.common.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The hashing of RFC 9162 (Certificate Transparency 2.0) Merkle trees, with SHA-256. */
public final class MerkleHashing {

    public static final int HASH_LENGTH = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHashing() {
    }

    /** SHA-256(0x00 ‖ data). */
    public static byte[] leafHash(byte[] data) {
        MessageDigest digest = sha256();
        digest.update(LEAF_PREFIX);
        return digest.digest(data);
    }

    /** SHA-256(0x01 ‖ left ‖ right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update(NODE_PREFIX);
        digest.update(left);
        return digest.digest(right);
    }

    /** The root of the empty tree: SHA-256 of no bytes. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
