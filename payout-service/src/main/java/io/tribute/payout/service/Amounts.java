package io.tribute.payout.service;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Money amounts on the wire: decimal strings of base units, 0 ..= 2^256-1. Never floating point. */
public final class Amounts {

    public static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,77}");

    private Amounts() {
    }

    /** The amount, or null when {@code text} is not a canonical decimal string within range. */
    public static BigInteger parseOrNull(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            return null;
        }
        BigInteger amount = new BigInteger(text);
        return amount.compareTo(MAX) <= 0 ? amount : null;
    }
}
