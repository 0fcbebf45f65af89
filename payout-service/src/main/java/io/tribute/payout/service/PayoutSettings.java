package io.tribute.payout.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
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
}
