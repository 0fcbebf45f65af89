package io.tribute.payout.grpc;

import io.tribute.common.grpc.ApiErrors;
import io.tribute.common.grpc.PageTokens;

/** The errors payout-service answers with (ErrorInfo domain {@code payout.tribute.io}). */
public final class PayoutErrors {

    public static final ApiErrors ERRORS = new ApiErrors("payout.tribute.io");
    public static final PageTokens PAGE_TOKENS = new PageTokens(ERRORS);

    private PayoutErrors() {
    }
}
