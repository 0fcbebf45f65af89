package io.tribute.attribution.log;

/** A perfect subtree of the log: the root over leaves [index·2^level, (index+1)·2^level). */
public record NodeKey(int level, long index) {
}
