package io.tribute.payout.chain;

import java.math.BigInteger;

/** A TributePayouts BatchPaid event (token null for native ether), with the transaction and block that emitted it. */
public record BatchPaidEvent(String batchId, String token, String checkpointRoot, String payer,
        long recipientCount, BigInteger totalAmount, String recipientsDigest, long creditedCount,
        String transactionHash, long blockNumber) {
}
