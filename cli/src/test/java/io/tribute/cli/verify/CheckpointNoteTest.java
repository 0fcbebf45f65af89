package io.tribute.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Signed-note checkpoints verify only with the right key and an untouched body. */
class CheckpointNoteTest {

    private static final String NAME = "attribution.tribute.io/log";
    private static final String ROOT_HEX = "a".repeat(64);

    @Test
    void genuineCheckpointVerifiesAndItsBodyIsRead() throws Exception {
        Signer signer = new Signer();

        var body = CheckpointNote.verify(signer.note(body(7)), signer.verifierKey());

        assertThat(body).isPresent();
        assertThat(body.get().origin()).isEqualTo(NAME);
        assertThat(body.get().treeSize()).isEqualTo(7);
        assertThat(body.get().rootHashHex()).isEqualTo(ROOT_HEX);
        assertThat(body.get().timestampMillis()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void alteredBodyOrAnotherKeyDoesNotVerify() throws Exception {
        Signer signer = new Signer();
        String note = signer.note(body(7));

        assertThat(CheckpointNote.verify(note.replaceFirst("\n7\n", "\n8\n"), signer.verifierKey())).isEmpty();
        assertThat(CheckpointNote.verify(note, new Signer().verifierKey())).isEmpty();
        assertThat(CheckpointNote.verify(note, "not a key")).isEmpty();
    }

    private static String body(long size) {
        return NAME + "\n" + size + "\n" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(ROOT_HEX))
                + "\ntimestamp 1700000000000\n";
    }

    /** Signs notes as attribution-service does (C2SP signed note, Ed25519). */
    private static final class Signer {
        private final KeyPair keys;
        private final byte[] algorithmAndKey = new byte[33];

        Signer() throws Exception {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = keys.getPublic().getEncoded();
            algorithmAndKey[0] = 0x01;
            System.arraycopy(encoded, encoded.length - 32, algorithmAndKey, 1, 32);
        }

        String verifierKey() {
            return NAME + "+" + HexFormat.of().formatHex(CheckpointNote.keyHash(NAME, algorithmAndKey)) + "+"
                    + Base64.getEncoder().encodeToString(algorithmAndKey);
        }

        String note(String body) throws Exception {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(body.getBytes(StandardCharsets.UTF_8));
            byte[] tagged = Arrays.copyOf(CheckpointNote.keyHash(NAME, algorithmAndKey), 68);
            System.arraycopy(signature.sign(), 0, tagged, 4, 64);
            return body + "\n\u2014 " + NAME + " " + Base64.getEncoder().encodeToString(tagged) + "\n";
        }
    }
}
