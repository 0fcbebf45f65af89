package io.tribute.registry.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Operator credentials: the gRPC metadata {@code tribute-operator-token} compared with the secret setting
 * {@code tribute.registry.operator-token}; an unset setting disables operator overrides.
 */
@ApplicationScoped
@GlobalInterceptor
public class OperatorCredentials implements ServerInterceptor {

    static final Metadata.Key<String> TOKEN_HEADER =
            Metadata.Key.of("tribute-operator-token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> PRESENTED_TOKEN = Context.key("tribute-operator-token");

    private final Optional<byte[]> expectedToken;

    public OperatorCredentials(@ConfigProperty(name = "tribute.registry.operator-token") Optional<String> token) {
        this.expectedToken = token.filter(value -> !value.isBlank())
                .map(value -> value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String presented = headers.get(TOKEN_HEADER);
        if (presented == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(PRESENTED_TOKEN, presented), call, headers, next);
    }

    /** Whether the current call carries valid operator credentials; call it on the gRPC call's thread. */
    public boolean currentCallIsOperator() {
        String presented = PRESENTED_TOKEN.get();
        return presented != null && expectedToken.isPresent()
                && MessageDigest.isEqual(expectedToken.get(), presented.getBytes(StandardCharsets.UTF_8));
    }
}
