package io.tribute.registry.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The registry's Ed25519 manifest signing key (secret {@code tribute.registry.signing-key}, a PKCS#8 PEM as
 * {@code openssl genpkey -algorithm ed25519} writes it; generated at start when unset) and the public keys of
 * earlier keys ({@code tribute.registry.previous-signing-keys}). The one seam to Ed25519.
 */
@ApplicationScoped
public class ManifestKeys {

    private static final Logger LOG = Logger.getLogger(ManifestKeys.class);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** A public key and its RFC 7638 thumbprint ("kid"). */
    public record PublicKey(String keyId, byte[] publicKey) {

        /** The JWK "x": the public key, base64url without padding. */
        public String x() {
            return BASE64URL.encodeToString(publicKey);
        }
    }

    private final Ed25519PrivateKeyParameters signingKey;
    private final PublicKey active;
    private final List<PublicKey> previous;

    public ManifestKeys(@ConfigProperty(name = "tribute.registry.signing-key") Optional<String> signingKeyPem,
            @ConfigProperty(name = "tribute.registry.previous-signing-keys") Optional<List<String>> previousKeys) {
        this.signingKey = signingKeyPem.filter(pem -> !pem.isBlank()).map(ManifestKeys::parsePrivateKey)
                .orElseGet(() -> new Ed25519PrivateKeyParameters(new SecureRandom()));
        this.active = publicKey(signingKey.generatePublicKey().getEncoded());
        if (signingKeyPem.filter(pem -> !pem.isBlank()).isEmpty()) {
            LOG.warnf("tribute.registry.signing-key is not set: generated ephemeral key %s for this run; "
                    + "manifests it signs stay verifiable only while its public key is kept", active.keyId());
        }
        List<PublicKey> earlier = new ArrayList<>();
        for (String x : previousKeys.orElse(List.of())) {
            if (!x.isBlank()) {
                earlier.add(publicKey(parsePublicKey(x.trim())));
            }
        }
        this.previous = List.copyOf(earlier);
    }

    /** The key that signs new manifests. */
    public PublicKey active() {
        return active;
    }

    /** Public keys of retired keys given in configuration. */
    public List<PublicKey> previous() {
        return previous;
    }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, signingKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Whether {@code signature} is {@code publicKey}'s Ed25519 signature of {@code message}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** A public key with its kid: the RFC 7638 thumbprint over {"crv","kty","x"} in that order. */
    public static PublicKey publicKey(byte[] publicKey) {
        String x = BASE64URL.encodeToString(publicKey);
        String thumbprintInput = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(thumbprintInput.getBytes(StandardCharsets.UTF_8));
            return new PublicKey(BASE64URL.encodeToString(digest), publicKey.clone());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Ed25519PrivateKeyParameters parsePrivateKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(
                    PrivateKeyInfo.getInstance(Base64.getDecoder().decode(base64)));
            if (key instanceof Ed25519PrivateKeyParameters ed25519) {
                return ed25519;
            }
        } catch (Exception e) {
            // The message must not carry the secret, nor a cause that might quote it.
            throw new IllegalArgumentException("tribute.registry.signing-key is not a PKCS#8 PEM Ed25519 key");
        }
        throw new IllegalArgumentException("tribute.registry.signing-key is not an Ed25519 key");
    }

    private static byte[] parsePublicKey(String x) {
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(x);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("tribute.registry.previous-signing-keys: \"" + x
                    + "\" is not a base64url 32-byte Ed25519 public key (a JWK \"x\")");
        }
        return key;
    }
}
