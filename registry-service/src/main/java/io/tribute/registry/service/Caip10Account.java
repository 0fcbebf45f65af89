package io.tribute.registry.service;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A CAIP-10 EVM account id, {@code eip155:<chain id>:<EIP-55 checksummed address>}. */
public record Caip10Account(String chainId, String address) {

    private static final Pattern CAIP10 = Pattern.compile("eip155:([1-9][0-9]{0,31}):(0x[0-9a-fA-F]{40})");

    /** Why {@code text} is not a valid account id, or empty if it is. */
    public static Optional<String> problemWith(String text) {
        Matcher matcher = CAIP10.matcher(text);
        if (!matcher.matches()) {
            return Optional.of("must be a CAIP-10 account id \"eip155:<chain id>:0x<40 hex digits>\"");
        }
        if (!WalletSignatures.isChecksummedAddress(matcher.group(2))) {
            return Optional.of("address must be EIP-55 checksummed");
        }
        return Optional.empty();
    }

    /** Parses an account id that {@link #problemWith} accepted. */
    public static Caip10Account parse(String text) {
        Matcher matcher = CAIP10.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a CAIP-10 account id");
        }
        return new Caip10Account(matcher.group(1), matcher.group(2));
    }
}
