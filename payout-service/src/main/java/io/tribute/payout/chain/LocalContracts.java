package io.tribute.payout.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The contracts of a local chain (anvil), deployed from the build's compiled artifacts: TributePayouts, with the
 * payer as its payer and admin, and the test ERC-20 minted to the payer and approved for TributePayouts to pull.
 * For the local run and the tests; a real chain gets its contracts from its operator.
 */
public final class LocalContracts {

    /** Where the two contracts were deployed. */
    public record Addresses(String payouts, String token) {
    }

    private static final Duration RECEIPT_POLL = Duration.ofMillis(20);

    private LocalContracts() {
    }

    /** Deploys TributePayouts and the test token, mints {@code payerTokens} to the payer and approves them. */
    public static Addresses deploy(ChainClient payer, BigInteger payerTokens, Duration timeout) {
        String payouts = deploy(payer, "TributePayouts", List.of(payer.payerAddress(), payer.payerAddress()),
                timeout);
        String token = deploy(payer, "TestToken", List.of(), timeout);
        mined(payer, payer.signMint(token, payer.payerAddress(), payerTokens, payer.pendingNonce(),
                payer.currentFees()), timeout);
        mined(payer, payer.signApprove(token, payouts, payerTokens, payer.pendingNonce(), payer.currentFees()),
                timeout);
        return new Addresses(payouts, token);
    }

    /** Deploys a compiled contract whose constructor takes addresses; returns its address. */
    public static String deploy(ChainClient client, String contractName, List<String> constructorAddresses,
            Duration timeout) {
        return mined(client, client.signDeployment(contractName, constructorAddresses, client.pendingNonce(),
                client.currentFees()), timeout).contractAddress();
    }

    /** Broadcasts and returns the receipt once the transaction is mined; fails if it reverted. */
    public static ChainReceipt mined(ChainClient client, SignedTransaction transaction, Duration timeout) {
        ChainReceipt receipt = included(client, transaction, timeout);
        if (!receipt.succeeded()) {
            throw new IllegalStateException("transaction " + transaction.hash() + " reverted");
        }
        return receipt;
    }

    /** Broadcasts and waits for the receipt, whether the transaction succeeded or reverted. */
    public static ChainReceipt included(ChainClient client, SignedTransaction transaction, Duration timeout) {
        client.broadcast(transaction);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ChainReceipt> receipt = client.receipt(transaction.hash());
            if (receipt.isPresent()) {
                return receipt.get();
            }
            try {
                Thread.sleep(RECEIPT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no receipt for " + transaction.hash() + " within " + timeout);
    }
}
