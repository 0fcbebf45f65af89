package io.tribute.payout.chain;

import java.math.BigInteger;

/** A transaction signed by the payer key, ready to broadcast: its raw bytes decide its hash and nonce. */
public record SignedTransaction(String rawHex, String hash, long nonce, BigInteger gasLimit,
        BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
}
