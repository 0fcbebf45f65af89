package io.tribute.payout.chain;

/** The chain's node could not be reached or did not answer in time: nothing is known about the request's fate. */
public class ChainUnavailableException extends RuntimeException {

    public ChainUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
