package io.tribute.common.grpc;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.tribute.common.Ids;
import io.tribute.common.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Opaque AIP-158 page tokens: a cursor (the last id or position of a page) bound to the filters that produced it,
 * so that a token reused with other filters is refused with INVALID_PAGE_TOKEN.
 */
public final class PageTokens {

    public static final String INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN";

    private static final int FILTER_DIGEST_BYTES = 8;
    private static final char SEPARATOR = '.';

    private final ApiErrors errors;

    public PageTokens(ApiErrors errors) {
        this.errors = errors;
    }

    /** The token that continues after {@code cursor} under {@code filters} (any stable text naming them). */
    public String encode(String filters, Object cursor) {
        String plain = filterDigest(filters) + SEPARATOR + cursor;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The id to continue after, or null for an empty token. */
    public UUID decodeId(String token, String filters) {
        if (token.isEmpty()) {
            return null;
        }
        UUID after = Ids.parseOrNull(cursor(token, filters));
        if (after == null) {
            throw invalid();
        }
        return after;
    }

    /** The non-negative position to continue from, or {@code whenEmpty} for an empty token. */
    public long decodePosition(String token, String filters, long whenEmpty) {
        if (token.isEmpty()) {
            return whenEmpty;
        }
        try {
            long position = Long.parseLong(cursor(token, filters));
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // Reported below like any other foreign token.
        }
        throw invalid();
    }

    private String cursor(String token, String filters) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int separator = plain.indexOf(SEPARATOR);
            if (separator >= 0 && plain.substring(0, separator).equals(filterDigest(filters))) {
                return plain.substring(separator + 1);
            }
        } catch (IllegalArgumentException e) {
            // Not base64url: reported below like any other foreign token.
        }
        throw invalid();
    }

    private StatusRuntimeException invalid() {
        return errors.status(Code.INVALID_ARGUMENT, INVALID_PAGE_TOKEN,
                "page_token does not continue a listing with these filters", Map.of("field", "page_token"));
    }

    private static String filterDigest(String filters) {
        byte[] digest = Sha256.digest(filters.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, FILTER_DIGEST_BYTES);
    }
}
