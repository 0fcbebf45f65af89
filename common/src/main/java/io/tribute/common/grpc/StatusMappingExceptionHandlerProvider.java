package io.tribute.common.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns every failure of a gRPC call into a deliberate status: the service's own errors pass through,
 * a lost database becomes {@code UNAVAILABLE}, and anything else becomes {@code INTERNAL} with no detail
 * on the wire (the cause is logged here instead). A caller never sees {@code UNKNOWN} or a stack trace.
 */
@ApplicationScoped
public class StatusMappingExceptionHandlerProvider implements ExceptionHandlerProvider {

    private static final Logger LOG = Logger.getLogger(StatusMappingExceptionHandlerProvider.class);

    private final ApiErrors errors;

    public StatusMappingExceptionHandlerProvider(
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.errors = ApiErrors.forApplication(applicationName);
    }

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<ReqT, RespT> serverCall, Metadata headers) {
                StatusException status = toStatus(failure);
                serverCall.close(status.getStatus(),
                        status.getTrailers() != null ? status.getTrailers() : new Metadata());
            }
        };
    }

    @Override
    public Throwable transform(Throwable failure) {
        return toStatus(failure);
    }

    StatusException toStatus(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusException statusException) {
                return statusException;
            }
            if (cause instanceof StatusRuntimeException statusRuntimeException) {
                return asChecked(statusRuntimeException);
            }
        }
        if (isConnectionFailure(failure)) {
            LOG.warnf("database unreachable: %s", failure.toString());
            return asChecked(errors.databaseUnavailable());
        }
        LOG.error("unexpected failure of a gRPC call", failure);
        return asChecked(errors.internal());
    }

    private static StatusException asChecked(StatusRuntimeException exception) {
        return new StatusException(exception.getStatus(), exception.getTrailers());
    }

    /**
     * A connection refused, reset or broken (a write to a socket the server closed: "Broken pipe"), or a database
     * refusing work while it stops or starts. The only sockets a call uses directly are its database's: peer
     * services fail as gRPC statuses, which pass through above.
     */
    private static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String name = cause.getClass().getSimpleName();
            if (cause instanceof DatabaseException database && isUnavailableState(database.getSqlState())) {
                return true;
            }
            if (cause instanceof IOException || name.equals("ClosedConnectionException")
                    || name.equals("ConnectTimeoutException") || name.equals("NoStackTraceThrowable")
                    && String.valueOf(cause.getMessage()).contains("Connection")) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception) and 57P01–57P03: the server is shutting down, crashed, or is not
     * accepting connections yet, as while PostgreSQL restarts. Retrying later succeeds.
     */
    private static boolean isUnavailableState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }
}
