package io.tribute.payout.chain;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A Quarkus test resource: a LocalChain for the service under test, configured as its chain and contract. */
public class LocalChainResource implements QuarkusTestResourceLifecycleManager {

    /** Confirmations the tests wait for (anvil mines on demand, so tests mine them). */
    public static final int CONFIRMATIONS = 2;

    /** Short, so a test can watch a batch become UNKNOWN; replacements are triggered by hand. */
    public static final java.time.Duration RECEIPT_TIMEOUT = java.time.Duration.ofSeconds(3);

    private static LocalChain chain;

    /** The running chain of the current test application. */
    public static LocalChain chain() {
        return chain;
    }

    @Override
    public Map<String, String> start() {
        chain = LocalChain.start();
        return Map.of(
                "tribute.payout.chain.rpc-url", chain.anvil.rpcUrl(),
                "tribute.payout.contract-address", chain.payouts,
                "tribute.payout.currencies", "eip155:31337/slip44:60," + chain.tokenCurrency(),
                "tribute.payout.confirmations", Integer.toString(CONFIRMATIONS),
                "tribute.payout.receipt-timeout", RECEIPT_TIMEOUT.toMillis() + "ms",
                "tribute.payout.replacement-after", "1h");
    }

    @Override
    public void stop() {
        if (chain != null) {
            chain.close();
        }
    }
}
