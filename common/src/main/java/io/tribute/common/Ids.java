package io.tribute.common;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/** UUID version 7 ids (RFC 9562): time-ordered, so new rows land at the end of the primary key index. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 12 random bits (rand_a, in 2 bytes) and 62 (rand_b, in 8 bytes) per id. */
    private static final int RANDOM_BYTES_PER_ID = Short.BYTES + Long.BYTES;

    private Ids() {
    }

    public static UUID newId() {
        return newIds(1)[0];
    }

    /**
     * {@code count} new ids of the current millisecond, their random bits drawn from the SecureRandom in one call
     * (one lock and one draw for all of them).
     */
    public static UUID[] newIds(int count) {
        byte[] random = new byte[count * RANDOM_BYTES_PER_ID];
        RANDOM.nextBytes(random);
        ByteBuffer bits = ByteBuffer.wrap(random);
        long millis = System.currentTimeMillis();
        UUID[] ids = new UUID[count];
        for (int i = 0; i < count; i++) {
            long randA = bits.getShort() & 0x0FFF;
            long mostSignificant = (millis << 16) | (0x7L << 12) | randA;
            long leastSignificant = (bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            ids[i] = new UUID(mostSignificant, leastSignificant);
        }
        return ids;
    }

    /** Parses a canonical UUID string, or returns null when it is not one. */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
