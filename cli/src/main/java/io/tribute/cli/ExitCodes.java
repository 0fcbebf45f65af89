package io.tribute.cli;

import io.grpc.Status;

/** The process exit codes of {@code tribute}; {@link TributeCli}'s help lists them. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int INVALID_ARGUMENT = 4;
    public static final int UNAVAILABLE = 5;
    public static final int NOT_VERIFIED = 6;

    private ExitCodes() {
    }

    /** The exit code of a call that failed with {@code code}. */
    public static int of(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> NOT_FOUND;
            case INVALID_ARGUMENT -> INVALID_ARGUMENT;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
            default -> FAILURE;
        };
    }
}
