package io.tribute.payout.chain;

/** The node answered the call with a JSON-RPC error (e.g. a revert or a rejected transaction). */
public class ChainRpcException extends RuntimeException {

    private final int code;

    public ChainRpcException(String method, int code, String message) {
        super(method + " failed: " + message + " (JSON-RPC error " + code + ")");
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The node already has this transaction (or its nonce is spent): broadcasting it again changes nothing. */
    public boolean isAlreadyKnownOrNonceUsed() {
        String message = getMessage().toLowerCase(java.util.Locale.ROOT);
        return message.contains("already known") || message.contains("already imported")
                || message.contains("nonce too low") || message.contains("known transaction");
    }
}
