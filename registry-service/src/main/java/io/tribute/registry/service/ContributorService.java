package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

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
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateContributorResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Creates and finds contributors; owns their validation and transactions. */
@ApplicationScoped
public class ContributorService {

    static final int MAX_TEXT_LENGTH = 200;

    private final ContributorRepository contributors;
    private final IdempotentRequests idempotentRequests;

    public ContributorService(ContributorRepository contributors, IdempotentRequests idempotentRequests) {
        this.contributors = contributors;
        this.idempotentRequests = idempotentRequests;
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
                .require(externalRef.length() <= MAX_TEXT_LENGTH, "contributor.external_ref",
                        "must be at most " + MAX_TEXT_LENGTH + " characters")
                .throwIfAny(ERRORS);
    }

    private static RuntimeException notFound(String key, String value) {
        return ERRORS.notFound(ErrorReason.ERROR_REASON_CONTRIBUTOR_NOT_FOUND,
                "no contributor with " + key + " " + value, Map.of(key, value));
    }
}
