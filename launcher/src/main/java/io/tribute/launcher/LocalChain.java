package io.tribute.launcher;

import io.tribute.payout.chain.ChainClient;
import io.tribute.payout.chain.LocalContracts;
import io.tribute.testing.AnvilServer;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The suite's local chain: anvil (interval mining) with its chain kept under TRIBUTE_HOME, TributePayouts and a test
 * ERC-20 deployed from the build's compiled contracts once, the payer (anvil's first account, a public test key)
 * holding tokens and having approved the contract. The addresses are kept beside the chain so a restart reuses them.
 */
final class LocalChain implements AutoCloseable {

    /** Tokens minted to the payer when the chain is new (10^30 base units). */
    private static final BigInteger PAYER_TOKENS = BigInteger.TEN.pow(30);
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);

    private final AnvilServer anvil;
    private final String payouts;
    private final String token;
    private final boolean fresh;
    private final String payer;

    private LocalChain(AnvilServer anvil, String payouts, String token, boolean fresh, String payer) {
        this.anvil = anvil;
        this.payer = payer;
        this.payouts = payouts;
        this.token = token;
        this.fresh = fresh;
    }

    /** Starts anvil on {@code port} with its chain in {@code directory}; deploys the contracts if the chain lacks them. */
    static LocalChain start(Path directory, int port, int blockTimeSeconds) {
        AnvilServer anvil = AnvilServer.launchPersistent(directory.resolve("state.json"), port,
                "--block-time", Integer.toString(blockTimeSeconds));
        Path addresses = directory.resolve("contracts.properties");
        try (ChainClient payer = new ChainClient(anvil.rpcUrl(), AnvilServer.DEFAULT_PRIVATE_KEY, RPC_TIMEOUT)) {
            Optional<Properties> known = read(addresses)
                    .filter(saved -> hasCode(anvil, saved.getProperty("payouts"))
                            && hasCode(anvil, saved.getProperty("token")));
            if (known.isPresent()) {
                return new LocalChain(anvil, known.get().getProperty("payouts"), known.get().getProperty("token"),
                        false, payer.payerAddress());
            }
            LocalContracts.Addresses deployed = LocalContracts.deploy(payer, PAYER_TOKENS, RECEIPT_TIMEOUT);
            Properties saved = new Properties();
            saved.setProperty("payouts", deployed.payouts());
            saved.setProperty("token", deployed.token());
            write(addresses, saved);
            return new LocalChain(anvil, deployed.payouts(), deployed.token(), true, payer.payerAddress());
        } catch (RuntimeException e) {
            anvil.stop();
            throw e;
        }
    }

    String rpcUrl() {
        return anvil.rpcUrl();
    }

    String chainId() {
        return "eip155:" + anvil.chainId();
    }

    String payouts() {
        return payouts;
    }

    /** The payer's address (anvil's first default account). */
    String payer() {
        return payer;
    }

    String token() {
        return token;
    }

    /** True if the contracts were deployed by this start (the chain is new). */
    boolean fresh() {
        return fresh;
    }

    String tokenCurrency() {
        return chainId() + "/erc20:" + token.toLowerCase(Locale.ROOT);
    }

    /**
     * payout-service's chain settings as environment variables, as its Kubernetes ConfigMap and Secret set them
     * (each names a key of its application.properties).
     */
    Map<String, String> payoutEnvironment(int confirmations) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TRIBUTE_PAYOUT_CHAIN_ID", chainId());
        environment.put("TRIBUTE_PAYOUT_CURRENCIES", chainId() + "/slip44:60," + tokenCurrency());
        environment.put("TRIBUTE_PAYOUT_CHAIN_RPC_URL", rpcUrl());
        environment.put("TRIBUTE_PAYOUT_CONTRACT_ADDRESS", payouts);
        environment.put("TRIBUTE_PAYOUT_CONFIRMATIONS", Integer.toString(confirmations));
        environment.put("TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEY", AnvilServer.DEFAULT_PRIVATE_KEY);
        return environment;
    }

    boolean isAlive() {
        try {
            return anvil.chainId() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        anvil.stop();
    }

    private static boolean hasCode(AnvilServer anvil, String address) {
        if (address == null || !ChainClient.isAddress(address)) {
            return false;
        }
        String response = anvil.rpc("eth_getCode", "[\"" + address + "\", \"latest\"]");
        return !response.replace(" ", "").contains("\"result\":\"0x\"");
    }

    private static Optional<Properties> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return Optional.of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, Properties properties) {
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "Contracts deployed on the local chain in state.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
