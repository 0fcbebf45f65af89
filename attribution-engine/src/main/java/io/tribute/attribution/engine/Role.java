package io.tribute.attribution.engine;

/** The roles through which value reaches an asset, in the order policies list their weights. */
public enum Role {
    TRAINING_DATA,
    ARCHITECTURE,
    MODEL_BUILDERS,
    PROMPT,
    REVIEW
}
