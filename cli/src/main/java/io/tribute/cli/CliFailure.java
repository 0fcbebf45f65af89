package io.tribute.cli;

/** A failure the CLI detected itself (an unreadable file, a bad key), reported as one line with an exit code. */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
