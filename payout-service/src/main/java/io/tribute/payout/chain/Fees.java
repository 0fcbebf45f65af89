package io.tribute.payout.chain;

import java.math.BigInteger;

/** EIP-1559 fees of one transaction, in wei per gas. */
public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {

    /** These fees raised by {@code bumpPpm} parts per million (rounded up), as a replacement must be. */
    public Fees bumped(long bumpPpm) {
        return new Fees(raise(maxFeePerGas, bumpPpm), raise(maxPriorityFeePerGas, bumpPpm));
    }

    private static BigInteger raise(BigInteger value, long bumpPpm) {
        BigInteger million = BigInteger.valueOf(1_000_000);
        BigInteger[] scaled = value.multiply(million.add(BigInteger.valueOf(bumpPpm))).divideAndRemainder(million);
        BigInteger raised = scaled[1].signum() == 0 ? scaled[0] : scaled[0].add(BigInteger.ONE);
        // A zero fee stays below any bump; one wei more makes the replacement acceptable.
        return raised.equals(value) ? value.add(BigInteger.ONE) : raised;
    }
}
