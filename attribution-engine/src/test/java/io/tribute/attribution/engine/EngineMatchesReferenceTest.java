package io.tribute.attribution.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.LongFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Stored attribution hashes must stay recomputable: the engine's results (shares, exact values, every path
 * credit and their order) and its errors must equal those of the engine before the speed work, kept in
 * {@link ReferenceAttributionEngine}, and must hash to digests recorded with that engine.
 */
class EngineMatchesReferenceTest {

    @Property(tries = 400)
    void smallRandomInputsGiveTheReferenceResult(@ForAll long seed) {
        assertSameAsReference(RandomLineages.input(seed));
    }

    @Property(tries = 300)
    void largeRandomInputsGiveTheReferenceResult(@ForAll long seed) {
        assertSameAsReference(LargeRandomLineages.input(seed));
    }

    @Test
    void resultsOfFixedSeedsHashToTheRecordedDigests() {
        assertThat(digest(RandomLineages::input, 2_000)).isEqualTo(SMALL_DIGEST);
        assertThat(digest(LargeRandomLineages::input, 300)).isEqualTo(LARGE_DIGEST);
    }

    /** Recorded with the engine before the speed work (the reference), seeds 0 … n−1. */
    private static final String SMALL_DIGEST = "f33e013a2f1c911b4cddab609a1af9b62ee8f04772d6e403997e66ed841d45e6";
    private static final String LARGE_DIGEST = "4768d545f25c928cf552492fc4350ecc672af7df7097694eaf6969f9aa930533";

    private static void assertSameAsReference(AttributionInput input) {
        assertThat(outcome(input, AttributionEngine::attribute))
                .isEqualTo(outcome(input, ReferenceAttributionEngine::attribute));
    }

    /** The full result with every fraction in lowest terms, or the error's class and message. */
    private static String outcome(AttributionInput input, Function<AttributionInput, AttributionResult> engine) {
        try {
            return engine.apply(input).toString();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String digest(LongFunction<AttributionInput> inputs, int seeds) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (long seed = 0; seed < seeds; seed++) {
                sha256.update(outcome(inputs.apply(seed), AttributionEngine::attribute)
                        .getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
