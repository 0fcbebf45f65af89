package io.tribute.payout.chain;

import java.math.BigInteger;
import java.util.List;

/**
 * One TributePayouts call: pays {@code amounts[i]} to {@code recipients[i]} in {@code token} (an ERC-20 contract
 * address, or null for native ether) under {@code batchId}, settling against {@code checkpointRoot}.
 */
public record PaymentBatch(String batchId, String checkpointRoot, String token, List<String> recipients,
        List<BigInteger> amounts) {

    public PaymentBatch {
        if (recipients.size() != amounts.size()) {
            throw new IllegalArgumentException("recipients and amounts differ in length");
        }
        recipients = List.copyOf(recipients);
        amounts = List.copyOf(amounts);
    }

    public boolean isNative() {
        return token == null;
    }

    public BigInteger total() {
        return amounts.stream().reduce(BigInteger.ZERO, BigInteger::add);
    }
}
