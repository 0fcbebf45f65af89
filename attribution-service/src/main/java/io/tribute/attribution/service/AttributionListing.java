package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;
import static io.tribute.attribution.grpc.AttributionErrors.PAGE_TOKENS;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.repository.AttributionRepository;
import io.tribute.attribution.repository.AttributionRepository.ListFilter;
import io.tribute.attribution.repository.AttributionRepository.ListedRecord;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.ListAttributionsRequest;
import io.tribute.attribution.v1.ListAttributionsResponse;
import io.tribute.common.Ids;
import io.tribute.common.Sha256;
import io.tribute.common.grpc.FieldViolations;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** ListAttributions: filtered, in log order, keyset-paginated by log index with opaque tokens. */
@ApplicationScoped
public class AttributionListing {

    private static final int MAX_PLATFORM_REF = 256;

    private final AttributionRepository attributions;
    private final int defaultPageSize;
    private final int maxPageSize;

    public AttributionListing(AttributionRepository attributions,
            @ConfigProperty(name = "tribute.attribution.list.default-page-size") int defaultPageSize,
            @ConfigProperty(name = "tribute.attribution.list.max-page-size") int maxPageSize) {
        this.attributions = attributions;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    @WithSession
    public Uni<ListAttributionsResponse> list(ListAttributionsRequest request) {
        ListFilter filter = filter(request);
        String filterKey = filterKey(request);
        long after = PAGE_TOKENS.decodePosition(request.getPageToken(), filterKey, -1);
        int pageSize = request.getPageSize() <= 0 ? defaultPageSize : Math.min(request.getPageSize(), maxPageSize);
        return attributions.list(filter, after, pageSize + 1).map(rows -> {
            ListAttributionsResponse.Builder response = ListAttributionsResponse.newBuilder();
            List<ListedRecord> page = rows.subList(0, Math.min(pageSize, rows.size()));
            for (ListedRecord row : page) {
                response.addAttributions(withoutDetail(parse(row.record()), request.getIncludeExplanations()));
            }
            if (rows.size() > pageSize) {
                response.setNextPageToken(PAGE_TOKENS.encode(filterKey, page.getLast().logIndex()));
            }
            return response.build();
        });
    }

    private static ListFilter filter(ListAttributionsRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(request.getPageSize() >= 0, "page_size", "must not be negative")
                .require(request.getContributorId().isEmpty() || Ids.parseOrNull(request.getContributorId()) != null,
                        "contributor_id", "must be a UUID or empty")
                .require(request.getAssetId().isEmpty() || Ids.parseOrNull(request.getAssetId()) != null,
                        "asset_id", "must be a UUID or empty")
                .require(request.getPlatformRef().length() <= MAX_PLATFORM_REF, "platform_ref",
                        "at most " + MAX_PLATFORM_REF + " characters");
        var range = request.getProducedTimeRange();
        violations.require(!(range.hasStartTime() && range.hasEndTime())
                        || instant(range.getStartTime()).isBefore(instant(range.getEndTime())),
                "produced_time_range", "start_time must be before end_time");
        violations.throwIfAny(ERRORS);
        return new ListFilter(
                request.getContributorId().isEmpty() ? null : UUID.fromString(request.getContributorId()),
                request.getAssetId().isEmpty() ? null : UUID.fromString(request.getAssetId()),
                range.hasStartTime() ? OffsetDateTime.ofInstant(instant(range.getStartTime()), ZoneOffset.UTC) : null,
                range.hasEndTime() ? OffsetDateTime.ofInstant(instant(range.getEndTime()), ZoneOffset.UTC) : null,
                request.getPlatformRef().isEmpty() ? null : request.getPlatformRef());
    }

    /** Everything but page size and token: a token only continues the listing it came from. */
    private static String filterKey(ListAttributionsRequest request) {
        return Sha256.hex(request.toBuilder().clearPageSize().clearPageToken().build().toByteArray())
                .substring(0, 16);
    }

    private static Attribution withoutDetail(Attribution attribution, boolean includeExplanations) {
        if (includeExplanations) {
            return attribution;
        }
        Attribution.Builder builder = attribution.toBuilder();
        for (AttributionShare.Builder share : builder.getSharesBuilderList()) {
            share.clearExplanations();
        }
        return builder.build();
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static Attribution parse(byte[] record) {
        try {
            return Attribution.parseFrom(record);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored attribution is unreadable", e);
        }
    }
}
