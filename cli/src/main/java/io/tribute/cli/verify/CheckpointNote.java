package io.tribute.cli.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks a transparency-log checkpoint, a C2SP signed note (c2sp.org/signed-note) whose body is a C2SP checkpoint,
 * against a C2SP verifier key {@code <name>+<key id>+<base64(0x01 ‖ Ed25519 public key)>}.
 */
public final class CheckpointNote {

    private static final byte ED25519_ALGORITHM = 0x01;
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final String SIGNATURE_LINE_START = "\u2014 ";

    /** What the note's body states. */
    public record Body(String origin, long treeSize, String rootHashHex, long timestampMillis) {
    }

    private CheckpointNote() {
    }

    /**
     * The body of {@code note} if its signature by {@code verifierKey} verifies (and the key hash matches);
     * empty if the note is malformed, not signed by that key, or the signature does not verify.
     */
    public static Optional<Body> verify(String note, String verifierKey) {
        try {
            String[] key = verifierKey.split("\\+", 3);
            if (key.length != 3) {
                return Optional.empty();
            }
            String name = key[0];
            byte[] keyBytes = Base64.getDecoder().decode(key[2]);
            if (keyBytes.length != 33 || keyBytes[0] != ED25519_ALGORITHM) {
                return Optional.empty();
            }
            byte[] keyHash = keyHash(name, keyBytes);
            if (!HexFormat.of().formatHex(keyHash).equals(key[1])) {
                return Optional.empty();
            }
            int end = note.indexOf("\n\n");
            if (end < 0) {
                return Optional.empty();
            }
            String body = note.substring(0, end + 1);
            for (String line : note.substring(end + 2).split("\n")) {
                if (!line.startsWith(SIGNATURE_LINE_START + name + " ")) {
                    continue;
                }
                byte[] signed = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
                if (signed.length == 68 && Arrays.equals(Arrays.copyOf(signed, 4), keyHash)
                        && ed25519Verifies(Arrays.copyOfRange(keyBytes, 1, 33), body.getBytes(StandardCharsets.UTF_8),
                                Arrays.copyOfRange(signed, 4, 68))) {
                    return parseBody(body);
                }
            }
            return Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). */
    static byte[] keyHash(String name, byte[] algorithmAndKey) {
        MessageDigest sha = InclusionProofCheck.sha256();
        sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(sha.digest(algorithmAndKey), 4);
    }

    private static boolean ed25519Verifies(byte[] publicKey, byte[] message, byte[] signature)
            throws GeneralSecurityException {
        byte[] encoded = new byte[ED25519_X509_PREFIX.length + publicKey.length];
        System.arraycopy(ED25519_X509_PREFIX, 0, encoded, 0, ED25519_X509_PREFIX.length);
        System.arraycopy(publicKey, 0, encoded, ED25519_X509_PREFIX.length, publicKey.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static Optional<Body> parseBody(String body) {
        String[] lines = body.split("\n");
        if (lines.length < 4 || !lines[3].startsWith("timestamp ")) {
            return Optional.empty();
        }
        String root = HexFormat.of().formatHex(Base64.getDecoder().decode(lines[2]));
        return Optional.of(new Body(lines[0], Long.parseLong(lines[1]), root,
                Long.parseLong(lines[3].substring("timestamp ".length()))));
    }
}
