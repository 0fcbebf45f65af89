package io.tribute.payout.client;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.MutinyAttributionServiceGrpc.MutinyAttributionServiceStub;
import io.tribute.common.v1.ErrorReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one seam to attribution-service: reads an attribution's shares (the call carries the configured deadline). */
@ApplicationScoped
public class AttributionClient {

    private static final String PEER = "attribution";

    @GrpcClient("attribution")
    MutinyAttributionServiceStub attribution;

    @ConfigProperty(name = "quarkus.grpc.clients.attribution.deadline")
    Duration deadline;

    /** The attribution by id (when {@code attributionId} is set) or by output hash; ATTRIBUTION_NOT_FOUND if none. */
    public Uni<AttributedShares> fetch(UUID attributionId, String outputSha256) {
        GetAttributionRequest.Builder request = GetAttributionRequest.newBuilder();
        if (attributionId != null) {
            request.setAttributionId(attributionId.toString());
        } else {
            request.setOutputSha256(outputSha256);
        }
        String key = attributionId != null ? attributionId.toString() : outputSha256;
        return stub().getAttribution(request.build())
                .map(response -> toShares(response.getAttribution()))
                .onFailure(StatusRuntimeException.class).transform(failure -> translate(
                        (StatusRuntimeException) failure, key));
    }

    /** The attribution log's latest checkpoint, which a settlement pays against. */
    public Uni<LogCheckpoint> latestCheckpoint() {
        return stub().getCheckpoint(GetCheckpointRequest.getDefaultInstance())
                .map(response -> new LogCheckpoint(response.getCheckpoint().getTreeSize(),
                        response.getCheckpoint().getRootHash()))
                .onFailure(StatusRuntimeException.class).transform(failure -> translate(
                        (StatusRuntimeException) failure, "checkpoint"));
    }

    /** The stub with the configured deadline from now (an injected stub's deadline is fixed when it is created). */
    private MutinyAttributionServiceStub stub() {
        return attribution.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static AttributedShares toShares(Attribution attribution) {
        Map<String, Long> shares = new LinkedHashMap<>();
        for (AttributionShare share : attribution.getSharesList()) {
            shares.merge(share.getContributorId(), Integer.toUnsignedLong(share.getSharePpm()), Long::sum);
        }
        return new AttributedShares(UUID.fromString(attribution.getId()), attribution.getOutput().getContentSha256(),
                shares);
    }

    private static RuntimeException translate(StatusRuntimeException failure, String key) {
        return switch (failure.getStatus().getCode()) {
            case NOT_FOUND -> ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ATTRIBUTION_NOT_FOUND,
                    "no attribution " + key, Map.of("attribution", key));
            case DEADLINE_EXCEEDED -> ERRORS.status(Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_PEER_UNAVAILABLE,
                    "attribution-service did not answer in time", Map.of("peer", PEER));
            default -> ERRORS.status(Code.UNAVAILABLE, ErrorReason.ERROR_REASON_PEER_UNAVAILABLE,
                    "attribution-service is unavailable", Map.of("peer", PEER));
        };
    }
}
