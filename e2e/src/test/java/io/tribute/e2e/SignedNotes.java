package io.tribute.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A checker of the attribution log's checkpoints written from the C2SP specifications (signed-note, checkpoint), as
 * an outside auditor would write it: a note signed with Ed25519 by the verifier key
 * {@code <name>+<hex key hash>+<base64(0x01 ‖ public key)>}.
 */
final class SignedNotes {

    /** What a checkpoint's body states. */
    record Body(String origin, long treeSize, byte[] rootHash) {
    }

    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final String SIGNATURE_LINE = "\u2014 ";

    private SignedNotes() {
    }

    /** The checkpoint's body if one of the note's signatures verifies with {@code verifierKey}; empty otherwise. */
    static Optional<Body> verify(String note, String verifierKey) {
        String[] key = verifierKey.split("\\+", 3);
        byte[] algorithmAndKey = Base64.getDecoder().decode(key[2]);
        byte[] keyHash = Arrays.copyOf(sha256((key[0] + "\n").getBytes(StandardCharsets.UTF_8), algorithmAndKey), 4);
        if (algorithmAndKey[0] != 0x01 || !HexFormat.of().formatHex(keyHash).equals(key[1])) {
            return Optional.empty();
        }
        int bodyEnd = note.indexOf("\n\n") + 1;
        byte[] body = note.substring(0, bodyEnd).getBytes(StandardCharsets.UTF_8);
        for (String line : note.substring(bodyEnd + 1).split("\n")) {
            if (line.startsWith(SIGNATURE_LINE + key[0] + " ")) {
                byte[] signature = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
                if (Arrays.equals(Arrays.copyOf(signature, 4), keyHash) && ed25519Verifies(
                        Arrays.copyOfRange(algorithmAndKey, 1, 33), body, Arrays.copyOfRange(signature, 4, 68))) {
                    String[] lines = note.substring(0, bodyEnd).split("\n");
                    return Optional.of(new Body(lines[0], Long.parseLong(lines[1]),
                            Base64.getDecoder().decode(lines[2])));
                }
            }
        }
        return Optional.empty();
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ed25519Verifies(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            byte[] encoded = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + publicKey.length);
            System.arraycopy(publicKey, 0, encoded, ED25519_X509_PREFIX.length, publicKey.length);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
