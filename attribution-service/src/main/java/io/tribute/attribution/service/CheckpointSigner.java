package io.tribute.attribution.service;

import io.tribute.attribution.log.CheckpointNote;
import io.tribute.attribution.log.SignedCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Signs checkpoints with the log's Ed25519 key (setting {@code tribute.attribution.log-signing-key}, the
 * base64 32-byte private key seed; a key is generated for the run when it is absent, for local use only).
 */
@ApplicationScoped
public class CheckpointSigner {

    private static final Logger LOG = Logger.getLogger(CheckpointSigner.class);
    private static final int SEED_LENGTH = 32;

    private final String origin;
    private final KeyPair keyPair;
    private final byte[] publicKey;
    private final byte[] keyHash;
    private final String keyId;
    private final String verifierKey;

    public CheckpointSigner(@ConfigProperty(name = "tribute.attribution.log.origin") String origin,
            @ConfigProperty(name = "tribute.attribution.log-signing-key") Optional<String> signingKey) {
        this.origin = origin;
        byte[] seed;
        if (signingKey.isPresent() && !signingKey.get().isBlank()) {
            seed = Base64.getDecoder().decode(signingKey.get().trim());
            if (seed.length != SEED_LENGTH) {
                throw new IllegalArgumentException("tribute.attribution.log-signing-key must be 32 bytes in base64");
            }
        } else {
            seed = new byte[SEED_LENGTH];
            new SecureRandom().nextBytes(seed);
            LOG.warn("tribute.attribution.log-signing-key is not set: checkpoints are signed with a key generated "
                    + "for this run only");
        }
        this.keyPair = keyPairFromSeed(seed);
        byte[] encoded = keyPair.getPublic().getEncoded();
        this.publicKey = Arrays.copyOfRange(encoded, encoded.length - SEED_LENGTH, encoded.length);
        this.keyHash = CheckpointNote.keyHash(origin, publicKey);
        this.keyId = HexFormat.of().formatHex(keyHash);
        this.verifierKey = CheckpointNote.verifierKey(origin, keyId, publicKey);
        LOG.infof("transparency log checkpoints are signed by %s", verifierKey);
    }

    public SignedCheckpoint sign(long treeSize, byte[] rootHash, Instant timestamp) {
        String body = CheckpointNote.body(origin, treeSize, rootHash, timestamp);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keyPair.getPrivate());
            signer.update(body.getBytes(StandardCharsets.UTF_8));
            byte[] signature = signer.sign();
            return new SignedCheckpoint(treeSize, rootHash, timestamp,
                    CheckpointNote.note(body, origin, keyHash, signature), signature, origin, keyId, verifierKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public String origin() {
        return origin;
    }

    public String verifierKey() {
        return verifierKey;
    }

    /** The JDK derives the public key from the 32 bytes its generator draws, so a fixed draw gives the key pair. */
    private static KeyPair keyPairFromSeed(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }
}
