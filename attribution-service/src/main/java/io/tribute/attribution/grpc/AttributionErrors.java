package io.tribute.attribution.grpc;

import io.tribute.common.grpc.ApiErrors;

/** The errors attribution-service answers with (ErrorInfo domain {@code attribution.tribute.io}). */
public final class AttributionErrors {

    public static final ApiErrors ERRORS = new ApiErrors("attribution.tribute.io");

    private AttributionErrors() {
    }
}
