package io.tribute.cli.wallet;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** An Ethereum key held by the CLI: its EIP-55 address, its CAIP-10 account, and EIP-191 personal_sign. */
public final class WalletKey {

    private final ECKeyPair keyPair;

    private WalletKey(ECKeyPair keyPair) {
        this.keyPair = keyPair;
    }

    /** A key from 32 bytes of hex ("0x" optional), e.g. the content of a private key file. */
    public static WalletKey fromHex(String privateKeyHex) {
        String hex = privateKeyHex.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a private key is 64 hex digits (optionally prefixed with 0x)");
        }
        return new WalletKey(ECKeyPair.create(new BigInteger(hex, 16)));
    }

    /** A new random key (the demo's contributors' wallets). */
    public static WalletKey generate() {
        try {
            return new WalletKey(Keys.createEcKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key: " + e.getMessage(), e);
        }
    }

    /** The EIP-55 checksummed address, "0x" + 40 hex digits. */
    public String address() {
        return Keys.toChecksumAddress(Keys.getAddress(keyPair.getPublicKey()));
    }

    /** The CAIP-10 account on chain {@code chainId}: "eip155:&lt;chain id&gt;:&lt;address&gt;". */
    public String account(long chainId) {
        return "eip155:" + chainId + ":" + address();
    }

    /** The EIP-191 personal_sign signature of {@code message}'s UTF-8 bytes: "0x" + r ‖ s ‖ v (65 bytes). */
    public String personalSign(String message) {
        Sign.SignatureData signature = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), keyPair);
        byte[] bytes = new byte[65];
        System.arraycopy(signature.getR(), 0, bytes, 0, 32);
        System.arraycopy(signature.getS(), 0, bytes, 32, 32);
        bytes[64] = signature.getV()[0];
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
