package io.tribute.payout.chain;

import java.math.BigInteger;
import java.util.List;

/** A transaction's receipt: where it was included, whether it succeeded, and the batches it paid. */
public record ChainReceipt(String transactionHash, long blockNumber, String blockHash, boolean succeeded,
        BigInteger gasUsed, BigInteger effectiveGasPrice, String contractAddress, List<BatchPaidEvent> batchesPaid) {
}
