package io.tribute.cli.demo;

import io.tribute.attribution.v1.Attribution;
import io.tribute.registry.v1.Verdict;
import java.util.List;

/**
 * What the demo established, for its caller to check.
 *
 * @param settlementSkipReason why the on-chain settlement step was skipped; empty when it ran
 * @param settlementState the settlement's final state as the demo last saw it; empty when skipped
 * @param transactionHashes the settlement's transaction hashes
 */
public record DemoResult(
        Attribution attribution,
        long shareSumPpm,
        Verdict originalVerdict,
        Verdict tamperedVerdict,
        boolean inclusionProofVerified,
        boolean checkpointSignatureVerified,
        String settlementSkipReason,
        String settlementState,
        List<String> transactionHashes,
        boolean chainBalancesMatchLedger) {
}
