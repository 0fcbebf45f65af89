package io.tribute.attribution.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/** The text of a C2SP checkpoint (c2sp.org/tlog-checkpoint) and of its signed note (c2sp.org/signed-note). */
public final class CheckpointNote {

    /** The signature type byte of Ed25519 keys in C2SP notes. */
    public static final byte ED25519_TYPE = 0x01;

    private CheckpointNote() {
    }

    /** The signed body: origin, tree size, base64 root and the timestamp line, each ending in "\n". */
    public static String body(String origin, long treeSize, byte[] rootHash, Instant timestamp) {
        return origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n"
                + "timestamp " + timestamp.toEpochMilli() + "\n";
    }

    /** The whole note: body, empty line, "— key_name base64(key hash ‖ signature)". */
    public static String note(String body, String keyName, byte[] keyHash, byte[] signature) {
        byte[] tagged = new byte[keyHash.length + signature.length];
        System.arraycopy(keyHash, 0, tagged, 0, keyHash.length);
        System.arraycopy(signature, 0, tagged, keyHash.length, signature.length);
        return body + "\n\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(tagged) + "\n";
    }

    /** The first 4 bytes of SHA-256(key_name ‖ "\n" ‖ 0x01 ‖ public key). */
    public static byte[] keyHash(String keyName, byte[] publicKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(keyName.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(ED25519_TYPE);
            byte[] hash = digest.digest(publicKey);
            return java.util.Arrays.copyOf(hash, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** "key_name+key_id+base64(0x01 ‖ public key)". */
    public static String verifierKey(String keyName, String keyId, byte[] publicKey) {
        byte[] typed = new byte[publicKey.length + 1];
        typed[0] = ED25519_TYPE;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return keyName + "+" + keyId + "+" + Base64.getEncoder().encodeToString(typed);
    }
}
