package io.tribute.registry.service;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The one seam to secp256k1: EIP-55 checksums and EIP-191 {@code personal_sign} signature recovery.
 * Nothing else in the service imports web3j types.
 */
public final class WalletSignatures {

    private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final BigInteger HALF_CURVE_ORDER = Sign.CURVE_PARAMS.getN().shiftRight(1);
    private static final int SIGNATURE_BYTES = 65;
    private static final int SCALAR_BYTES = 32;
    private static final int ETHEREUM_V_OFFSET = 27;

    private WalletSignatures() {
    }

    /** Whether {@code address} is "0x" + 40 hex digits in exactly its EIP-55 mixed-case form. */
    public static boolean isChecksummedAddress(String address) {
        return ADDRESS.matcher(address).matches() && Keys.toChecksumAddress(address).equals(address);
    }

    /**
     * Why {@code signature} is not a well-formed EIP-2 signature ("0x" + 130 hex digits, v in {0, 1, 27, 28},
     * s in the lower half of the curve order), or empty if it is.
     */
    public static Optional<String> malformation(String signature) {
        if (!SIGNATURE.matcher(signature).matches()) {
            return Optional.of("must be 0x followed by 130 hex digits (r, s, v)");
        }
        byte[] bytes = HexFormat.of().parseHex(signature.substring(2));
        int v = bytes[SIGNATURE_BYTES - 1] & 0xff;
        if (v != 0 && v != 1 && v != ETHEREUM_V_OFFSET && v != ETHEREUM_V_OFFSET + 1) {
            return Optional.of("v must be 0, 1, 27 or 28");
        }
        if (s(bytes).compareTo(HALF_CURVE_ORDER) > 0) {
            return Optional.of("s must be in the lower half of the curve order (EIP-2)");
        }
        return Optional.empty();
    }

    /**
     * The EIP-55 checksummed address that signed {@code message} with {@code personal_sign}, or empty if the
     * signature recovers to no key. The signature must be well-formed (see {@link #malformation}).
     */
    public static Optional<String> recoverSigner(String message, String signature) {
        byte[] bytes = HexFormat.of().parseHex(signature.substring(2));
        int v = bytes[SIGNATURE_BYTES - 1] & 0xff;
        int recoveryId = v >= ETHEREUM_V_OFFSET ? v - ETHEREUM_V_OFFSET : v;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(bytes, 0, SCALAR_BYTES));
        if (r.signum() == 0 || s(bytes).signum() == 0) {
            return Optional.empty();
        }
        byte[] hash = Sign.getEthereumMessageHash(message.getBytes(StandardCharsets.UTF_8));
        try {
            BigInteger publicKey = Sign.recoverFromSignature(recoveryId, new ECDSASignature(r, s(bytes)), hash);
            return Optional.ofNullable(publicKey).map(key -> Keys.toChecksumAddress(Keys.getAddress(key)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            // r beyond the field or an off-curve point: no signer, not a server fault.
            return Optional.empty();
        }
    }

    private static BigInteger s(byte[] signature) {
        return new BigInteger(1, Arrays.copyOfRange(signature, SCALAR_BYTES, 2 * SCALAR_BYTES));
    }
}
