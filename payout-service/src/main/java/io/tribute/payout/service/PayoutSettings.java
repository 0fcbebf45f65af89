package io.tribute.payout.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The chain and currencies this deployment settles, and the limits of its settlements. */
@ConfigMapping(prefix = "tribute.payout")
public interface PayoutSettings {

    /** The chain, as CAIP-2 (e.g. {@code eip155:31337}). */
    @WithName("chain-id")
    String chainId();

    /** The currencies that can be recorded and settled, as CAIP-19 ids on that chain. */
    Set<String> currencies();

    @WithName("default-recipients-per-batch")
    int defaultRecipientsPerBatch();

    @WithName("max-recipients-per-batch")
    int maxRecipientsPerBatch();

    /** The platform's fee on each revenue, in ppm of the amount (rounded down). */
    /** Attributions whose shares RecordRevenue keeps in memory by id (they never change). */
    @WithName("attribution-cache-size")
    int attributionCacheSize();

    @WithName("platform-fee-ppm")
    long platformFeePpm();

    /** Most RecordRevenue journals posted by one statement and one commit. */
    @WithName("revenue-batch-size")
    int revenueBatchSize();

    /** Most revenue batches being posted at once (each holds one database connection). */
    @WithName("revenue-batches-in-flight")
    int revenueBatchesInFlight();

    /** The chain's node and the payer key. */
    Chain chain();

    /**
     * The TributePayouts contract, if one is deployed: its 0x address, or its CAIP-10 account id
     * ({@code eip155:<chain>:0x…}), which YAML tooling never mistakes for a hexadecimal number.
     */
    @WithName("contract-address")
    Optional<String> contract();

    /** The contract's 0x address; a CAIP-10 setting must name this deployment's chain. */
    default Optional<String> contractAddress() {
        return contract().map(setting -> {
            int address = setting.lastIndexOf(':') + 1;
            if (address > 0 && !setting.substring(0, address).equals(chainId() + ":")) {
                throw new IllegalStateException("tribute.payout.contract-address " + setting
                        + " is not on tribute.payout.chain-id " + chainId());
            }
            return setting.substring(address);
        });
    }

    int confirmations();

    @WithName("gas-cap")
    long gasCap();

    @WithName("gas-cap-utilization-ppm")
    long gasCapUtilizationPpm();

    @WithName("planning-gas-per-batch")
    long planningGasPerBatch();

    @WithName("planning-gas-per-recipient")
    long planningGasPerRecipient();

    @WithName("watch-interval")
    Duration watchInterval();

    @WithName("reconcile.max-block-range")
    long reconcileMaxBlockRange();

    @WithName("settler-enabled")
    boolean settlerEnabled();

    @WithName("max-recipients-per-settlement")
    int maxRecipientsPerSettlement();

    @WithName("receipt-timeout")
    Duration receiptTimeout();

    @WithName("replacement-after")
    Duration replacementAfter();

    @WithName("fee-bump-ppm")
    long feeBumpPpm();

    @WithName("settler-interval")
    Duration settlerInterval();

    /** Where the chain's node answers and who signs. */
    interface Chain {

        @WithName("rpc-url")
        String rpcUrl();

        Duration timeout();

        /** The payer's key (hex). Secret: never logged. */
        @WithName("private-key")
        Optional<String> privateKey();
    }
}
