package io.tribute.cli.client;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads balances straight from the chain over JSON-RPC, independently of the payout service: native ether with
 * {@code eth_getBalance}, an ERC-20 with {@code balanceOf} through {@code eth_call}.
 */
public final class ChainClient {

    private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"(0x[0-9a-fA-F]*)\"");
    private static final Pattern ERC20 = Pattern.compile("eip155:\\d+/erc20:(0x[0-9a-fA-F]{40})");
    private static final String BALANCE_OF_SELECTOR = "70a08231";

    private final URI rpcUrl;
    private final Duration timeout;
    private final HttpClient http;

    public ChainClient(URI rpcUrl, Duration timeout) {
        this.rpcUrl = rpcUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI rpcUrl() {
        return rpcUrl;
    }

    /** The balance of {@code address} (0x…) in {@code currency} (CAIP-19), in base units. */
    public BigInteger balanceOf(String currency, String address) throws IOException, InterruptedException {
        Matcher token = ERC20.matcher(currency);
        if (token.matches()) {
            String data = "0x" + BALANCE_OF_SELECTOR + "0".repeat(24) + address.substring(2).toLowerCase(Locale.ROOT);
            return call("eth_call", "{\"to\":\"" + token.group(1) + "\",\"data\":\"" + data + "\"},\"latest\"");
        }
        return call("eth_getBalance", "\"" + address + "\",\"latest\"");
    }

    /** The chain id the node reports ({@code eth_chainId}); fails if no node answers. */
    public BigInteger chainId() throws IOException, InterruptedException {
        return call("eth_chainId", "");
    }

    private BigInteger call(String method, String params) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":[" + params + "]}";
        HttpRequest request = HttpRequest.newBuilder(rpcUrl)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (ConnectException | HttpTimeoutException e) {
            throw new IOException("no answer from " + rpcUrl, e);
        }
        Matcher result = RESULT.matcher(answer);
        if (!result.find()) {
            throw new IOException(method + " failed: " + answer);
        }
        String hex = result.group(1).substring(2);
        return hex.isEmpty() ? BigInteger.ZERO : new BigInteger(hex, 16);
    }
}
