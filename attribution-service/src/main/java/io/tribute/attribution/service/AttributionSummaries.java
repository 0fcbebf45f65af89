package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.repository.SummaryRepository;
import io.tribute.attribution.repository.SummaryRepository.Grouping;
import io.tribute.attribution.repository.SummaryRepository.Group;
import io.tribute.attribution.repository.SummaryRepository.Selector;
import io.tribute.attribution.v1.SummarizeAttributionsRequest;
import io.tribute.attribution.v1.SummarizeAttributionsResponse;
import io.tribute.attribution.v1.SummaryGroup;
import io.tribute.attribution.v1.SummaryGrouping;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.ErrorReason;
import io.tribute.common.v1.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** SummarizeAttributions: validates the selector and grouping, lets PostgreSQL aggregate, maps the groups. */
@ApplicationScoped
public class AttributionSummaries {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_PLATFORM_REF = 256;

    private final SummaryRepository summaries;
    private final int maxIds;
    private final int maxOutputs;
    private final int defaultTopK;
    private final int maxTopK;

    public AttributionSummaries(SummaryRepository summaries,
            @ConfigProperty(name = "tribute.attribution.max-summary-ids") int maxIds,
            @ConfigProperty(name = "tribute.attribution.max-summary-outputs") int maxOutputs,
            @ConfigProperty(name = "tribute.attribution.summary.default-top-k") int defaultTopK,
            @ConfigProperty(name = "tribute.attribution.summary.max-top-k") int maxTopK) {
        this.summaries = summaries;
        this.maxIds = maxIds;
        this.maxOutputs = maxOutputs;
        this.defaultTopK = defaultTopK;
        this.maxTopK = maxTopK;
    }

    public Uni<SummarizeAttributionsResponse> summarize(SummarizeAttributionsRequest request) {
        Selector selector = selector(request);
        Short[] roles = roles(request);
        int topK = request.getTopK() == 0 ? defaultTopK : request.getTopK();
        Grouping grouping = switch (request.getGroupBy()) {
            case SUMMARY_GROUPING_CONTRIBUTOR -> request.getRolesCount() == 0 ? Grouping.CONTRIBUTOR_SHARES
                    : Grouping.CONTRIBUTOR_ROLES;
            case SUMMARY_GROUPING_ASSET -> Grouping.ASSET;
            case SUMMARY_GROUPING_ROLE -> Grouping.ROLE;
            default -> throw new IllegalStateException("validated above");
        };
        return summaries.summarize(selector, grouping, roles, maxOutputs, topK).map(summary -> {
            if (summary.selectedOutputs() > maxOutputs) {
                throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_RESULT_TOO_LARGE, "the selector matches more than "
                        + maxOutputs + " outputs; narrow it", Map.of("limit", Integer.toString(maxOutputs)));
            }
            SummarizeAttributionsResponse.Builder response = SummarizeAttributionsResponse.newBuilder()
                    .setSelectedOutputCount(summary.selectedOutputs())
                    .setTotalPpm(summary.totalPpm())
                    .setOtherGroupCount(summary.groupCount() - summary.top().size());
            long topTotal = 0;
            for (Group group : summary.top()) {
                response.addGroups(group(request.getGroupBy(), group, summary.selectedOutputs()));
                topTotal += group.totalPpm();
            }
            return response.setOtherTotalPpm(summary.totalPpm() - topTotal).build();
        });
    }

    private static SummaryGroup group(SummaryGrouping grouping, Group group, long selectedOutputs) {
        SummaryGroup.Builder builder = SummaryGroup.newBuilder()
                .setOutputCount(group.outputCount())
                .setTotalPpm(group.totalPpm())
                .setMeanSharePpm((int) (group.totalPpm() / selectedOutputs));
        switch (grouping) {
            case SUMMARY_GROUPING_CONTRIBUTOR -> builder.setContributorId(group.key());
            case SUMMARY_GROUPING_ASSET -> builder.setAssetId(group.key())
                    .setAssetKind(AssetKind.forNumber(group.assetKind()));
            default -> builder.setRole(Role.forNumber(Integer.parseInt(group.key())));
        }
        return builder.build();
    }

    /** Checks the whole request (every violation listed) and returns its selector. */
    private Selector selector(SummarizeAttributionsRequest request) {
        int idCount = switch (request.getSelectorCase()) {
            case ATTRIBUTION_IDS -> request.getAttributionIds().getIdsCount();
            case OUTPUT_HASHES -> request.getOutputHashes().getSha256Count();
            default -> 0;
        };
        if (idCount > maxIds) {
            String field = request.hasAttributionIds() ? "attribution_ids.ids" : "output_hashes.sha256";
            throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED,
                    field + ": at most " + maxIds + " per summary", Map.of("field", field));
        }
        FieldViolations violations = new FieldViolations()
                .require(request.getGroupBy() != SummaryGrouping.SUMMARY_GROUPING_UNSPECIFIED
                        && request.getGroupBy() != SummaryGrouping.UNRECOGNIZED, "group_by", "is required")
                .require(request.getTopK() <= maxTopK, "top_k", "at most " + maxTopK);
        for (int i = 0; i < request.getRolesCount(); i++) {
            violations.require(request.getRoles(i) != Role.ROLE_UNSPECIFIED && request.getRoles(i) != Role.UNRECOGNIZED,
                    "roles[" + i + "]", "must be a role");
        }
        Selector selector = null;
        switch (request.getSelectorCase()) {
            case ATTRIBUTION_IDS -> {
                List<String> ids = request.getAttributionIds().getIdsList();
                violations.require(!ids.isEmpty(), "attribution_ids.ids", "at least one id");
                UUID[] parsed = new UUID[ids.size()];
                for (int i = 0; i < ids.size(); i++) {
                    parsed[i] = Ids.parseOrNull(ids.get(i));
                    violations.require(parsed[i] != null, "attribution_ids.ids[" + i + "]", "must be a UUID");
                }
                selector = new Selector(parsed, null, null, null, null, false);
            }
            case OUTPUT_HASHES -> {
                List<String> hashes = request.getOutputHashes().getSha256List();
                violations.require(!hashes.isEmpty(), "output_hashes.sha256", "at least one hash");
                for (int i = 0; i < hashes.size(); i++) {
                    violations.require(SHA256.matcher(hashes.get(i)).matches(), "output_hashes.sha256[" + i + "]",
                            "must be 64 lowercase hex digits");
                }
                selector = new Selector(null, hashes.toArray(String[]::new), null, null, null, false);
            }
            case PLATFORM_REF -> {
                String ref = request.getPlatformRef();
                violations.require(!ref.isEmpty() && ref.length() <= MAX_PLATFORM_REF, "platform_ref",
                        "1 to " + MAX_PLATFORM_REF + " characters");
                selector = new Selector(null, null, ref, null, null, false);
            }
            case PRODUCED_TIME_RANGE -> {
                var range = request.getProducedTimeRange();
                OffsetDateTime from = range.hasStartTime() ? time(range.getStartTime()) : null;
                OffsetDateTime until = range.hasEndTime() ? time(range.getEndTime()) : null;
                violations.require(from == null || until == null || from.isBefore(until), "produced_time_range",
                        "start_time must be before end_time");
                selector = new Selector(null, null, null, from, until, true);
            }
            case SELECTOR_NOT_SET -> violations.add("selector",
                    "one of attribution_ids, output_hashes, platform_ref or produced_time_range is required");
        }
        violations.throwIfAny(ERRORS);
        return selector;
    }

    /** The requested roles as stored numbers; every role when none is requested. */
    private static Short[] roles(SummarizeAttributionsRequest request) {
        TreeSet<Short> roles = new TreeSet<>();
        if (request.getRolesCount() == 0) {
            for (Role role : Role.values()) {
                if (role != Role.ROLE_UNSPECIFIED && role != Role.UNRECOGNIZED) {
                    roles.add((short) role.getNumber());
                }
            }
        } else {
            request.getRolesList().forEach(role -> roles.add((short) role.getNumber()));
        }
        return roles.toArray(Short[]::new);
    }

    private static OffsetDateTime time(Timestamp timestamp) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()),
                ZoneOffset.UTC);
    }
}
