package io.tribute.payout.client;

import java.util.Map;
import java.util.UUID;

/** What the ledger needs of an attribution: its ids and each contributor's share in ppm (keyed by contributor id). */
public record AttributedShares(UUID attributionId, String outputSha256, Map<String, Long> sharePpmByContributor) {
}
