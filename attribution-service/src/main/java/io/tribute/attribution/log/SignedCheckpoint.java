package io.tribute.attribution.log;

import java.time.Instant;

/** A signed statement of the log's size and root: the C2SP signed note and its parts. */
public record SignedCheckpoint(long treeSize, byte[] rootHash, Instant timestamp, String note, byte[] signature,
        String keyName, String keyId, String verifierKey) {
}
