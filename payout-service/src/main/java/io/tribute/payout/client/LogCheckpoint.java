package io.tribute.payout.client;

/** A checkpoint of the attribution transparency log: its size and root hash (64 lowercase hex digits). */
public record LogCheckpoint(long treeSize, String rootHash) {
}
