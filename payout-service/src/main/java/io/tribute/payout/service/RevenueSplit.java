package io.tribute.payout.service;

import io.tribute.common.apportion.LargestRemainder;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * How one revenue amount is divided: the platform fee (⌊amount × fee ppm / 10^6⌋), then the rest split exactly by
 * the contributors' ppm shares (largest remainder, ties by ascending contributor id). The parts always add up to
 * the amount.
 */
public record RevenueSplit(BigInteger amount, BigInteger fee, SortedMap<String, BigInteger> parts) {

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

    /** @param sharePpmByContributor contributor id (canonical UUID text) → share in ppm, not all 0 */
    public static RevenueSplit of(BigInteger amount, long feePpm, Map<String, Long> sharePpmByContributor) {
        BigInteger fee = amount.multiply(BigInteger.valueOf(feePpm)).divide(MILLION);
        Map<String, BigInteger> weights = new LinkedHashMap<>();
        sharePpmByContributor.forEach((contributor, ppm) -> weights.put(contributor, BigInteger.valueOf(ppm)));
        return new RevenueSplit(amount, fee, LargestRemainder.apportion(amount.subtract(fee), weights));
    }
}
