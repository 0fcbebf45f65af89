package io.tribute.attribution.engine;

/** The kinds of registered assets. */
public enum AssetKind {
    DATA_ITEM,
    DATASET,
    MODEL_ARCHITECTURE,
    MODEL,
    PARAMETER_ADJUSTMENT,
    PROMPT,
    REVIEW
}
