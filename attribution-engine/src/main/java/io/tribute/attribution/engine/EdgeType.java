package io.tribute.attribution.engine;

/** The typed lineage links from an asset (child) to an earlier asset (parent). */
public enum EdgeType {
    TRAINED_ON,
    FINETUNED_FROM,
    USES_ARCHITECTURE,
    ADJUSTED_WITH,
    CONTAINS,
    DERIVED_FROM
}
