package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;
import static io.tribute.registry.grpc.RegistryErrors.PAGE_TOKENS;

import com.google.rpc.Code;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.Contributor;
import io.tribute.registry.mapping.ContributorMapper;
import io.tribute.registry.repository.ContributorRepository;
import io.tribute.registry.repository.WalletBindingRepository;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateContributorResponse;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.ListContributorsResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates, finds and lists contributors with their wallet binding history; owns their validation. */
@ApplicationScoped
public class ContributorService {

    static final int MAX_TEXT_LENGTH = 200;
    static final int MAX_EXTERNAL_REF_LENGTH = 256;

    private final ContributorRepository contributors;
    private final WalletBindingRepository bindings;
    private final IdempotentRequests idempotentRequests;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final int maxBatchGet;

    public ContributorService(ContributorRepository contributors, WalletBindingRepository bindings,
            IdempotentRequests idempotentRequests,
            @ConfigProperty(name = "tribute.registry.contributors-default-page-size") int defaultPageSize,
            @ConfigProperty(name = "tribute.registry.contributors-max-page-size") int maxPageSize,
            @ConfigProperty(name = "tribute.registry.max-batch-get") int maxBatchGet) {
        this.contributors = contributors;
        this.bindings = bindings;
        this.idempotentRequests = idempotentRequests;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
        this.maxBatchGet = maxBatchGet;
    }

    @WithTransaction
    public Uni<CreateContributorResponse> create(CreateContributorRequest request) {
        validate(request);
        return idempotentRequests.once(ERRORS, "CreateContributor", request.getRequestId(), request,
                CreateContributorResponse.parser(), () -> insert(request));
    }

    @WithSession
    public Uni<Contributor> findById(UUID id) {
        return contributors.findById(id).onItem().ifNull().failWith(() -> notFound("contributor_id", id.toString()));
    }

    @WithSession
    public Uni<Contributor> findByExternalRef(String externalRef) {
        return contributors.findByExternalRef(externalRef)
                .onItem().ifNull().failWith(() -> notFound("external_ref", externalRef));
    }

    /** The contributor with its wallet binding history. */
    @WithSession
    public Uni<io.tribute.registry.v1.Contributor> get(UUID id) {
        return findById(id).chain(this::withHistory);
    }

    /** The contributor with this external_ref, with its wallet binding history. */
    @WithSession
    public Uni<io.tribute.registry.v1.Contributor> getByExternalRef(String externalRef) {
        return findByExternalRef(externalRef).chain(this::withHistory);
    }

    /** One page of contributors ordered by id, each with its wallet binding history. */
    @WithSession
    public Uni<ListContributorsResponse> list(ListContributorsRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(request.getPageSize() >= 0, "page_size", "must not be negative");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < request.getContributorIdsCount(); i++) {
            UUID id = Ids.parseOrNull(request.getContributorIds(i));
            violations.require(id != null, "contributor_ids[" + i + "]", "must be a UUID");
            ids.add(id);
        }
        violations.throwIfAny(ERRORS);
        if (ids.size() > maxBatchGet) {
            throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED,
                    "at most " + maxBatchGet + " contributor_ids per request",
                    Map.of("field", "contributor_ids", "limit", Integer.toString(maxBatchGet)));
        }
        Boolean hasPayoutAccount = request.hasHasPayoutAccount() ? request.getHasPayoutAccount() : null;
        String filters = "contributors|" + new TreeSet<>(ids) + "|" + hasPayoutAccount;
        UUID after = PAGE_TOKENS.decodeId(request.getPageToken(), filters);
        int pageSize = request.getPageSize() == 0 ? defaultPageSize : Math.min(request.getPageSize(), maxPageSize);
        return contributors.page(after, ids, hasPayoutAccount, pageSize + 1).chain(found -> {
            List<Contributor> page = found.subList(0, Math.min(pageSize, found.size()));
            String nextToken = found.size() > pageSize ? PAGE_TOKENS.encode(filters, page.getLast().id) : "";
            return bindings.historiesOf(page.stream().map(contributor -> contributor.id).toList())
                    .map(histories -> {
                        ListContributorsResponse.Builder response = ListContributorsResponse.newBuilder()
                                .setNextPageToken(nextToken);
                        page.forEach(contributor -> response.addContributors(ContributorMapper.toProto(
                                contributor, histories.getOrDefault(contributor.id, List.of()))));
                        return response.build();
                    });
        });
    }

    private Uni<io.tribute.registry.v1.Contributor> withHistory(Contributor contributor) {
        return bindings.historyOf(contributor.id).map(history -> ContributorMapper.toProto(contributor, history));
    }

    private Uni<CreateContributorResponse> insert(CreateContributorRequest request) {
        String externalRef = request.getContributor().getExternalRef();
        return contributors.findByExternalRef(externalRef).chain(existing -> {
            if (existing != null) {
                throw ERRORS.alreadyExists(ErrorReason.ERROR_REASON_EXTERNAL_REF_EXISTS,
                        "another contributor has external_ref " + externalRef,
                        Map.of("contributor_id", existing.id.toString()));
            }
            Contributor contributor = new Contributor();
            contributor.id = Ids.newId();
            contributor.displayName = request.getContributor().getDisplayName();
            contributor.externalRef = externalRef;
            contributor.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            return contributors.persistAndFlush(contributor);
        }).map(created -> CreateContributorResponse.newBuilder()
                .setContributor(ContributorMapper.toProto(created))
                .build());
    }

    private static void validate(CreateContributorRequest request) {
        String displayName = request.getContributor().getDisplayName();
        String externalRef = request.getContributor().getExternalRef();
        new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID")
                .require(!displayName.isBlank(), "contributor.display_name", "must not be empty")
                .require(displayName.length() <= MAX_TEXT_LENGTH, "contributor.display_name",
                        "must be at most " + MAX_TEXT_LENGTH + " characters")
                .require(!externalRef.isBlank(), "contributor.external_ref", "must not be empty")
                .require(externalRef.length() <= MAX_EXTERNAL_REF_LENGTH, "contributor.external_ref",
                        "must be at most " + MAX_EXTERNAL_REF_LENGTH + " characters")
                .throwIfAny(ERRORS);
    }

    private static RuntimeException notFound(String key, String value) {
        return ERRORS.notFound(ErrorReason.ERROR_REASON_CONTRIBUTOR_NOT_FOUND,
                "no contributor with " + key + " " + value, Map.of(key, value));
    }
}
