package io.tribute.cli.output;

/** How results are printed: readable text, or the response messages as proto JSON. */
public enum OutputFormat {
    human,
    json
}
