package io.tribute.common.apportion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LargestRemainderTest {

    private static final BigInteger MAX_AMOUNT = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Test
    void thirdsGiveTheLeftoverUnitToTheSmallestKeyOnATie() {
        var parts = LargestRemainder.apportion(BigInteger.valueOf(1_000_000),
                Map.of("b", BigInteger.ONE, "a", BigInteger.ONE, "c", BigInteger.ONE));

        assertThat(parts).containsExactly(
                Map.entry("a", BigInteger.valueOf(333_334)),
                Map.entry("b", BigInteger.valueOf(333_333)),
                Map.entry("c", BigInteger.valueOf(333_333)));
    }

    @Test
    void leftoverGoesToTheLargestRemainderFirst() {
        // Quotas of 10 split 2:3:5 over a total of 7 are 1.4, 2.1, 3.5: floors 1, 2, 3 and one unit left,
        // which goes to the 0.5 remainder.
        var parts = LargestRemainder.apportion(BigInteger.valueOf(7),
                Map.of("x", BigInteger.TWO, "y", BigInteger.valueOf(3), "z", BigInteger.valueOf(5)));

        assertThat(parts).containsExactly(
                Map.entry("x", BigInteger.ONE), Map.entry("y", BigInteger.TWO), Map.entry("z", BigInteger.valueOf(4)));
    }

    @Test
    void randomSplitsOfAmountsUpToTwoTo256AlwaysSumExactly() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            BigInteger total = new BigInteger(256, random).min(MAX_AMOUNT);
            Map<Integer, BigInteger> weights = new HashMap<>();
            int keys = 1 + random.nextInt(40);
            for (int key = 0; key < keys; key++) {
                weights.put(key, BigInteger.valueOf(random.nextInt(1_000_001)));
            }
            weights.put(keys, BigInteger.ONE);

            var parts = LargestRemainder.apportion(total, weights);

            assertThat(parts.values().stream().reduce(BigInteger.ZERO, BigInteger::add)).isEqualTo(total);
            assertThat(parts).containsOnlyKeys(weights.keySet());
            weights.forEach((key, weight) -> {
                if (weight.signum() == 0) {
                    assertThat(parts.get(key)).isZero();
                }
            });
            assertThat(LargestRemainder.apportion(total, weights)).isEqualTo(parts);
        }
    }

    @Test
    void negativeOrImpossibleSplitsAreRefused() {
        assertThatThrownBy(() -> LargestRemainder.apportion(BigInteger.ONE, Map.of("a", BigInteger.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LargestRemainder.apportion(BigInteger.valueOf(-1), Map.of("a", BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LargestRemainder.apportion(BigInteger.ZERO, Map.of("a", BigInteger.ZERO)))
                .containsExactly(Map.entry("a", BigInteger.ZERO));
    }
}
