package io.tribute.payout.mapping;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import com.google.rpc.Code;
import io.tribute.common.Ids;
import io.tribute.common.v1.ErrorReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Opaque AIP-158 keyset page tokens: the last id of a page, bound to the filters that produced it so that a
 * token reused with other filters is refused.
 */
public final class PageTokens {

    private static final int FILTER_DIGEST_BYTES = 8;
    private static final char SEPARATOR = '.';

    private PageTokens() {
    }

    /** The token that continues after {@code lastId} under {@code filters} (any stable text naming them). */
    public static String encode(String filters, UUID lastId) {
        String plain = filterDigest(filters) + SEPARATOR + lastId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The id to continue after, or null for an empty token; INVALID_PAGE_TOKEN if it is not ours. */
    public static UUID decode(String token, String filters) {
        if (token.isEmpty()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int separator = plain.indexOf(SEPARATOR);
            UUID after = separator < 0 ? null : Ids.parseOrNull(plain.substring(separator + 1));
            if (after != null && plain.substring(0, separator).equals(filterDigest(filters))) {
                return after;
            }
        } catch (IllegalArgumentException e) {
            // Not base64url: reported below like any other foreign token.
        }
        throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_INVALID_PAGE_TOKEN,
                "page_token is not a token of this request's filters", Map.of("field", "page_token"));
    }

    private static String filterDigest(String filters) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, FILTER_DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
