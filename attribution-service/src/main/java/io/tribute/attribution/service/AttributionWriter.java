package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.repository.AttributionRepository;
import io.tribute.attribution.repository.AttributionRepository.AssetRow;
import io.tribute.attribution.repository.AttributionRepository.NewAttribution;
import io.tribute.attribution.repository.AttributionRepository.ShareRow;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.tribute.attribution.v1.Attribution;
import io.tribute.common.Ids;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stores a computed attribution and appends its log leaf in one transaction, once per request_id. The log's
 * append lock is taken first, so the one-attribution-per-output check cannot race another writer.
 */
@ApplicationScoped
public class AttributionWriter {

    private final AttributionRepository attributions;
    private final TransparencyLog log;
    private final IdempotentRequests idempotentRequests;

    public AttributionWriter(AttributionRepository attributions, TransparencyLog log,
            IdempotentRequests idempotentRequests) {
        this.attributions = attributions;
        this.log = log;
        this.idempotentRequests = idempotentRequests;
    }

    /** A computed attribution waiting to be stored: everything but its id, log index and time. */
    record Computed(Attribution unstored, UUID policyId, OffsetDateTime producedAt, byte[] evidence,
            byte[] canonicalInputs, List<ShareRow> shares, List<AssetRow> assets) {
    }

    @WithTransaction
    public Uni<AttributeOutputResponse> store(AttributeOutputRequest request, Computed computed) {
        return idempotentRequests.once(ERRORS, "AttributeOutput", request.getRequestId(), request,
                AttributeOutputResponse.parser(), () -> insert(request, computed));
    }

    private Uni<AttributeOutputResponse> insert(AttributeOutputRequest request, Computed computed) {
        Attribution unstored = computed.unstored();
        byte[] leaf = HexFormat.of().parseHex(unstored.getAttributionHash());
        return log.append(List.of(leaf)).chain(logIndex -> attributions
                .findIdByOutput(unstored.getOutput().getContentSha256())
                .chain(existing -> {
                    if (existing != null) {
                        throw ERRORS.alreadyExists(ErrorReason.ERROR_REASON_OUTPUT_ALREADY_ATTRIBUTED,
                                "output " + unstored.getOutput().getContentSha256() + " is already attributed",
                                Map.of("attribution_id", existing.toString()));
                    }
                    UUID id = Ids.newId();
                    OffsetDateTime createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
                    Attribution attribution = unstored.toBuilder()
                            .setId(id.toString())
                            .setLogIndex(logIndex)
                            .setCreatedAt(AttributionService.timestamp(createdAt))
                            .setRequestId(request.getRequestId())
                            .build();
                    NewAttribution row = new NewAttribution(id, attribution.getOutput().getContentSha256(),
                            attribution.getOutput().getPlatformRef(), computed.producedAt(), computed.policyId(),
                            attribution.getPolicyVersion(), attribution.getAttributionHash(), logIndex, createdAt,
                            attribution.toByteArray(), computed.evidence(), computed.canonicalInputs());
                    return attributions.insert(row, computed.shares(), computed.assets())
                            .replaceWith(AttributeOutputResponse.newBuilder().setAttribution(attribution).build());
                }));
    }
}
