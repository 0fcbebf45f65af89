package io.tribute.registry.grpc;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Wallets generated in the test, signing like a browser wallet's {@code personal_sign}. */
record TestWallet(ECKeyPair keys) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static TestWallet generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new TestWallet(ECKeyPair.create(new BigInteger(1, secret)));
    }

    /** The EIP-55 checksummed address. */
    String address() {
        return Keys.toChecksumAddress(Keys.getAddress(keys));
    }

    /** The CAIP-10 account id on chain 1. */
    String account() {
        return "eip155:1:" + address();
    }

    /** EIP-191 personal_sign over the message's UTF-8 bytes: "0x" ‖ r ‖ s ‖ v. */
    String sign(String message) {
        Sign.SignatureData signature = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), keys);
        return "0x" + HexFormat.of().formatHex(signature.getR()) + HexFormat.of().formatHex(signature.getS())
                + HexFormat.of().formatHex(signature.getV());
    }
}
