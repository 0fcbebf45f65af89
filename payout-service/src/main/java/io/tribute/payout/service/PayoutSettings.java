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
    @WithName("platform-fee-ppm")
    long platformFeePpm();

    /** The chain's node and the payer key. */
    Chain chain();

    /** The TributePayouts contract (0x address), if one is deployed. */
    @WithName("contract-address")
    Optional<String> contractAddress();

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
