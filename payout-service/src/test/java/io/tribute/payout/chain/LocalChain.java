package io.tribute.payout.chain;

import io.tribute.testing.AnvilServer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * A local chain ready to settle on: anvil running, TributePayouts and a TestToken deployed from the build's compiled
 * contracts, the payer (anvil's first account) holding tokens and having approved the contract to pull them.
 */
public final class LocalChain implements AutoCloseable {

    public static final BigInteger PAYER_TOKENS = BigInteger.TEN.pow(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public final AnvilServer anvil;
    public final ChainClient payer;
    public final String payouts;
    public final String token;

    private LocalChain(AnvilServer anvil, ChainClient payer, String payouts, String token) {
        this.anvil = anvil;
        this.payer = payer;
        this.payouts = payouts;
        this.token = token;
    }

    /** Starts anvil and deploys and funds everything. */
    public static LocalChain start() {
        return start(new String[0]);
    }

    /** Starts anvil with extra arguments (e.g. {@code --block-time 1}) and deploys and funds everything. */
    public static LocalChain start(String... anvilArguments) {
        AnvilServer anvil = AnvilServer.launch(anvilArguments);
        ChainClient payer = new ChainClient(anvil.rpcUrl(), AnvilServer.DEFAULT_PRIVATE_KEY, TIMEOUT);
        LocalContracts.Addresses contracts = LocalContracts.deploy(payer, PAYER_TOKENS, TIMEOUT);
        return new LocalChain(anvil, payer, contracts.payouts(), contracts.token());
    }

    /** Deploys a compiled contract whose constructor takes addresses; returns its address. */
    public static String deploy(ChainClient client, String contractName, List<String> constructorAddresses) {
        return LocalContracts.deploy(client, contractName, constructorAddresses, TIMEOUT);
    }

    /** Broadcasts and returns the receipt (anvil mines each transaction at once); fails if it reverted. */
    public static ChainReceipt mined(ChainClient client, SignedTransaction transaction) {
        return LocalContracts.mined(client, transaction, TIMEOUT);
    }

    /** Broadcasts and waits for the receipt, whether the transaction succeeded or reverted. */
    public static ChainReceipt included(ChainClient client, SignedTransaction transaction) {
        return LocalContracts.included(client, transaction, TIMEOUT);
    }

    /** The currency id (CAIP-19) of the test token on this chain. */
    public String tokenCurrency() {
        return "eip155:" + anvil.chainId() + "/erc20:" + token.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        payer.close();
        anvil.close();
    }
}
