package io.tribute.common.apportion;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Splits an integer total into parts proportional to integer weights, exactly: every part is the floor
 * of its quota, and the units left over go one each to the largest remainders, ties to the smallest
 * key. The parts always sum to the total, and the same inputs always give the same parts. Used for
 * attribution shares (total 1,000,000 ppm) and for splitting revenue by those shares.
 */
public final class LargestRemainder {

    private LargestRemainder() {
    }

    /**
     * @param total   the amount to split, at least 0
     * @param weights each key's weight, at least 0, not all 0 unless {@code total} is 0
     * @return each key's part, in key order; keys of weight 0 get 0
     */
    public static <K extends Comparable<K>> SortedMap<K, BigInteger> apportion(BigInteger total,
            Map<K, BigInteger> weights) {
        if (total.signum() < 0) {
            throw new IllegalArgumentException("cannot split a negative total: " + total);
        }
        BigInteger weightSum = BigInteger.ZERO;
        for (BigInteger weight : weights.values()) {
            if (weight.signum() < 0) {
                throw new IllegalArgumentException("weights must not be negative: " + weight);
            }
            weightSum = weightSum.add(weight);
        }
        SortedMap<K, BigInteger> parts = new TreeMap<>();
        if (weightSum.signum() == 0) {
            if (total.signum() != 0) {
                throw new IllegalArgumentException("cannot split " + total + " by weights that are all 0");
            }
            weights.keySet().forEach(key -> parts.put(key, BigInteger.ZERO));
            return parts;
        }
        Map<K, BigInteger> remainders = new LinkedHashMap<>();
        BigInteger assigned = BigInteger.ZERO;
        for (var entry : new TreeMap<>(weights).entrySet()) {
            BigInteger[] quotient = total.multiply(entry.getValue()).divideAndRemainder(weightSum);
            parts.put(entry.getKey(), quotient[0]);
            remainders.put(entry.getKey(), quotient[1]);
            assigned = assigned.add(quotient[0]);
        }
        int leftover = total.subtract(assigned).intValueExact();
        List<K> byRemainder = new ArrayList<>(remainders.keySet());
        byRemainder.sort(Comparator.<K, BigInteger>comparing(remainders::get).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (K key : byRemainder.subList(0, leftover)) {
            parts.merge(key, BigInteger.ONE, BigInteger::add);
        }
        return parts;
    }
}
