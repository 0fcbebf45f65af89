package io.tribute.payout.client;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import io.quarkus.test.Mock;
import io.smallrye.mutiny.Uni;
import io.tribute.common.v1.ErrorReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for attribution-service at the AttributionClient seam while its GetAttribution is being built: tests
 * register the attributions it knows. (The end-to-end test against the real service belongs to issue #7.)
 */
@Mock
@ApplicationScoped
public class FakeAttributionClient extends AttributionClient {

    private static final Map<String, AttributedShares> KNOWN = new ConcurrentHashMap<>();

    /** Makes an attribution known by id and by output hash. */
    public static AttributedShares register(Map<String, Long> sharePpmByContributor) {
        UUID id = UUID.randomUUID();
        String sha256 = (id.toString().replace("-", "") + id.toString().replace("-", ""));
        AttributedShares shares = new AttributedShares(id, sha256, Map.copyOf(sharePpmByContributor));
        KNOWN.put(id.toString(), shares);
        KNOWN.put(sha256, shares);
        return shares;
    }

    /** The checkpoint settlements pay against in tests. */
    public static final LogCheckpoint CHECKPOINT = new LogCheckpoint(42, "ab".repeat(32));

    @Override
    public Uni<LogCheckpoint> latestCheckpoint() {
        return Uni.createFrom().item(CHECKPOINT);
    }

    @Override
    public Uni<AttributedShares> fetch(UUID attributionId, String outputSha256) {
        String key = attributionId != null ? attributionId.toString() : outputSha256;
        AttributedShares shares = KNOWN.get(key);
        if (shares == null) {
            return Uni.createFrom().failure(ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_ATTRIBUTION_NOT_FOUND,
                    "no attribution " + key, Map.of("attribution", key)));
        }
        return Uni.createFrom().item(shares);
    }
}
