package io.tribute.attribution.grpc;

import io.tribute.common.grpc.ApiErrors;
import io.tribute.common.grpc.PageTokens;

/** The errors attribution-service answers with (ErrorInfo domain {@code attribution.tribute.io}). */
public final class AttributionErrors {

    public static final ApiErrors ERRORS = new ApiErrors("attribution.tribute.io");
    public static final PageTokens PAGE_TOKENS = new PageTokens(ERRORS);

    private AttributionErrors() {
    }
}
