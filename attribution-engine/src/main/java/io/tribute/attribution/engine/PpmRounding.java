package io.tribute.attribution.engine;

import static io.tribute.attribution.engine.AttributionEngine.PPM_TOTAL;

import io.tribute.common.apportion.LargestRemainder;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/** The engine's one rounding: contributor weights to parts of a million by largest remainder, on arrays. */
final class PpmRounding {

    /** Weights summing to at most 2^43 - 1 are rounded in longs: 10^6 · (2^43 - 1) < 2^63. */
    private static final int LONG_QUOTA_SUM_BITS = 43;

    private PpmRounding() {
    }

    /**
     * {@link LargestRemainder#apportion} of a million over weights given in key order, on arrays: floors of the
     * quotas, then one unit each to the largest remainders, ties to the smaller key.
     */
    static long[] largestRemainder(BigInteger[] weights) {
        BigInteger weightSum = BigInteger.ZERO;
        for (BigInteger weight : weights) {
            weightSum = weightSum.add(weight);
        }
        if (weightSum.signum() == 0) {
            // The error LargestRemainder gives (credits are never 0, so this means there are none).
            return LargestRemainder.apportion(BigInteger.valueOf(PPM_TOTAL), Map.<String, BigInteger>of())
                    .values().stream().mapToLong(BigInteger::longValueExact).toArray();
        }
        if (weightSum.bitLength() <= LONG_QUOTA_SUM_BITS) {
            return largestRemainder(weights, weightSum.longValue());
        }
        BigInteger total = BigInteger.valueOf(PPM_TOTAL);
        long[] parts = new long[weights.length];
        BigInteger[] remainders = new BigInteger[weights.length];
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] quotient = total.multiply(weights[i]).divideAndRemainder(weightSum);
            parts[i] = quotient[0].longValueExact();
            remainders[i] = quotient[1];
            assigned += parts[i];
        }
        giveLeftover(parts, assigned, (a, b) -> remainders[b].compareTo(remainders[a]));
        return parts;
    }

    /**
     * {@link #largestRemainder(BigInteger[])} in longs, where 10^6 times the weights' sum fits in one: the quotas'
     * floors and remainders are then exact long divisions.
     */
    private static long[] largestRemainder(BigInteger[] weights, long weightSum) {
        long[] parts = new long[weights.length];
        long[] remainders = new long[weights.length];
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            long scaled = PPM_TOTAL * weights[i].longValue();
            parts[i] = scaled / weightSum;
            remainders[i] = scaled % weightSum;
            assigned += parts[i];
        }
        giveLeftover(parts, assigned, (a, b) -> Long.compare(remainders[b], remainders[a]));
        return parts;
    }

    /**
     * The units of the million that the floors left over, one each to the largest remainders first, ties to the
     * smaller index (the smaller key).
     */
    private static void giveLeftover(long[] parts, long assigned, Comparator<Integer> largerRemainderFirst) {
        int leftover = Math.toIntExact(PPM_TOTAL - assigned);
        if (leftover == 0) {
            return;
        }
        Integer[] byRemainder = new Integer[parts.length];
        for (int i = 0; i < byRemainder.length; i++) {
            byRemainder[i] = i;
        }
        Arrays.sort(byRemainder, largerRemainderFirst.thenComparing(Comparator.naturalOrder()));
        for (int i = 0; i < leftover; i++) {
            parts[byRemainder[i]]++;
        }
    }
}
