package io.tribute.registry.grpc;

import io.tribute.common.grpc.ApiErrors;
import io.tribute.common.grpc.PageTokens;

/** The errors registry-service answers with (ErrorInfo domain {@code registry.tribute.io}). */
public final class RegistryErrors {

    public static final ApiErrors ERRORS = new ApiErrors("registry.tribute.io");
    public static final PageTokens PAGE_TOKENS = new PageTokens(ERRORS);

    private RegistryErrors() {
    }
}
