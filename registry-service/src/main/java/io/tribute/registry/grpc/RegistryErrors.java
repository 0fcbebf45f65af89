package io.tribute.registry.grpc;

import io.tribute.common.grpc.ApiErrors;

/** The errors registry-service answers with (ErrorInfo domain {@code registry.tribute.io}). */
public final class RegistryErrors {

    public static final ApiErrors ERRORS = new ApiErrors("registry.tribute.io");

    private RegistryErrors() {
    }
}
