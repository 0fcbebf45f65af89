package io.tribute.payout.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RevenueSplitTest {

    private static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    private final Random random = new Random();

    @RepeatedTest(200)
    void partsAndFeeAlwaysSumExactlyToRandomAmountsUpToTwoTo256() {
        BigInteger amount = new BigInteger(1 + random.nextInt(256), random).max(BigInteger.ONE).min(MAX);
        long feePpm = random.nextInt(200_001);
        Map<String, Long> shares = randomShares(1 + random.nextInt(40));

        RevenueSplit split = RevenueSplit.of(amount, feePpm, shares);

        assertThat(split.fee()).isEqualTo(amount.multiply(BigInteger.valueOf(feePpm)).divide(MILLION));
        BigInteger rest = amount.subtract(split.fee());
        assertThat(split.parts().values().stream().reduce(BigInteger.ZERO, BigInteger::add)).isEqualTo(rest);
        long ppmSum = shares.values().stream().mapToLong(Long::longValue).sum();
        split.parts().forEach((contributor, part) -> {
            BigInteger floor = rest.multiply(BigInteger.valueOf(shares.get(contributor)))
                    .divide(BigInteger.valueOf(ppmSum));
            assertThat(part).isBetween(floor, floor.add(BigInteger.ONE));
        });
    }

    @Test
    void largestAmountSplitsWithoutOverflow() {
        Map<String, Long> shares = randomShares(20);

        RevenueSplit split = RevenueSplit.of(MAX, 999_999, shares);

        assertThat(split.fee().add(split.parts().values().stream().reduce(BigInteger.ZERO, BigInteger::add)))
                .isEqualTo(MAX);
    }

    @Test
    void leftoverUnitsGoToLargestRemaindersThenToTheSmallestContributorId() {
        String first = "00000000-0000-7000-8000-000000000001";
        String second = "ffffffff-0000-7000-8000-000000000002";

        RevenueSplit split = RevenueSplit.of(BigInteger.ONE, 0, Map.of(second, 500_000L, first, 500_000L));

        assertThat(split.parts()).containsEntry(first, BigInteger.ONE).containsEntry(second, BigInteger.ZERO);
    }

    /** Random ppm shares that sum to exactly 1,000,000, as attributions do. */
    private Map<String, Long> randomShares(int contributors) {
        Map<String, Long> shares = new HashMap<>();
        long left = 1_000_000;
        for (int i = 0; i < contributors; i++) {
            long share = i == contributors - 1 ? left : random.nextLong(left + 1);
            left -= share;
            shares.put(UUID.randomUUID().toString(), share);
        }
        if (shares.values().stream().allMatch(share -> share == 0)) {
            shares.put(UUID.randomUUID().toString(), 1_000_000L);
        }
        return shares;
    }
}
