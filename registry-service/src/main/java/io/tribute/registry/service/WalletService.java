package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import com.google.rpc.Code;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.idempotency.IdempotentRequests;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.Contributor;
import io.tribute.registry.WalletBinding;
import io.tribute.registry.WalletChallenge;
import io.tribute.registry.mapping.ContributorMapper;
import io.tribute.registry.repository.ContributorRepository;
import io.tribute.registry.repository.WalletBindingRepository;
import io.tribute.registry.repository.WalletChallengeRepository;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.BindWalletResponse;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
import io.tribute.registry.v1.CreateWalletChallengeResponse;
import io.tribute.registry.v1.OperatorOverride;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Proves wallets: issues one-time EIP-191 challenges and binds a contributor's payout account when the
 * challenge is signed by the new wallet and, on a rebinding, by the old wallet or an authorised operator.
 */
@ApplicationScoped
public class WalletService {

    static final int MAX_OPERATOR_LENGTH = 200;
    static final int MAX_REASON_LENGTH = 1000;
    private static final int NONCE_BYTES = 16;
    private static final String NONE = "none";

    private final ContributorRepository contributors;
    private final WalletChallengeRepository challenges;
    private final WalletBindingRepository bindings;
    private final IdempotentRequests idempotentRequests;
    private final Clock clock;
    private final Duration challengeTtl;
    private final SecureRandom random = new SecureRandom();

    public WalletService(ContributorRepository contributors, WalletChallengeRepository challenges,
            WalletBindingRepository bindings, IdempotentRequests idempotentRequests, Clock clock,
            @ConfigProperty(name = "tribute.registry.wallet-challenge-ttl") Duration challengeTtl) {
        this.contributors = contributors;
        this.challenges = challenges;
        this.bindings = bindings;
        this.idempotentRequests = idempotentRequests;
        this.clock = clock;
        this.challengeTtl = challengeTtl;
    }

    @WithTransaction
    public Uni<CreateWalletChallengeResponse> createChallenge(CreateWalletChallengeRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID")
                .require(Ids.parseOrNull(request.getContributorId()) != null, "contributor_id", "must be a UUID");
        Caip10Account.problemWith(request.getAccount()).ifPresent(problem -> violations.add("account", problem));
        violations.throwIfAny(ERRORS);
        return idempotentRequests.once(ERRORS, "CreateWalletChallenge", request.getRequestId(), request,
                CreateWalletChallengeResponse.parser(), () -> issue(request));
    }

    /**
     * Binds the challenge's account.
     *
     * @param operatorAuthorized whether the call carried valid operator credentials
     */
    @WithTransaction
    public Uni<BindWalletResponse> bind(BindWalletRequest request, boolean operatorAuthorized) {
        validate(request);
        return idempotentRequests.once(ERRORS, "BindWallet", request.getRequestId(), request,
                BindWalletResponse.parser(), () -> bindChecked(request, operatorAuthorized));
    }

    private Uni<CreateWalletChallengeResponse> issue(CreateWalletChallengeRequest request) {
        UUID contributorId = UUID.fromString(request.getContributorId());
        return contributors.findById(contributorId).chain(contributor -> {
            if (contributor == null) {
                throw contributorNotFound(contributorId);
            }
            if (request.getAccount().equals(contributor.payoutAccount)) {
                throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_WALLET_ALREADY_BOUND,
                        "the account is already this contributor's payout account",
                        Map.of("account", request.getAccount()));
            }
            OffsetDateTime issuedAt = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
            WalletChallenge challenge = new WalletChallenge();
            challenge.id = Ids.newId();
            challenge.contributorId = contributorId;
            challenge.account = request.getAccount();
            challenge.replacesAccount = contributor.payoutAccount;
            challenge.nonce = HexFormat.of().formatHex(randomBytes(NONCE_BYTES));
            challenge.issuedAt = issuedAt;
            challenge.expiresAt = issuedAt.plus(challengeTtl).truncatedTo(ChronoUnit.MICROS);
            challenge.message = message(challenge);
            return challenges.persistAndFlush(challenge);
        }).map(challenge -> CreateWalletChallengeResponse.newBuilder()
                .setChallenge(ContributorMapper.toProto(challenge))
                .build());
    }

    /** The text to sign, in the format registry.proto fixes for WalletChallenge.message. */
    static String message(WalletChallenge challenge) {
        return String.join("\n",
                "Tribute wallet binding",
                "Contributor: " + challenge.contributorId,
                "Account: " + challenge.account,
                "Replaces: " + (challenge.replacesAccount == null ? NONE : challenge.replacesAccount),
                "Nonce: " + challenge.nonce,
                "Issued At: " + DateTimeFormatter.ISO_INSTANT.format(challenge.issuedAt.toInstant()),
                "Expiration Time: " + DateTimeFormatter.ISO_INSTANT.format(challenge.expiresAt.toInstant()));
    }

    private Uni<BindWalletResponse> bindChecked(BindWalletRequest request, boolean operatorAuthorized) {
        UUID contributorId = UUID.fromString(request.getContributorId());
        UUID challengeId = UUID.fromString(request.getChallengeId());
        // Locking the contributor serialises every binding change of one contributor.
        return contributors.findById(contributorId, LockModeType.PESSIMISTIC_WRITE).chain(contributor -> {
            if (contributor == null) {
                throw contributorNotFound(contributorId);
            }
            return challenges.findById(challengeId).chain(challenge -> {
                if (challenge == null || !challenge.contributorId.equals(contributorId)) {
                    throw ERRORS.notFound(ErrorReason.ERROR_REASON_CHALLENGE_NOT_FOUND,
                            "no challenge " + challengeId + " for this contributor",
                            Map.of("challenge_id", challengeId.toString()));
                }
                OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
                String method = authorize(request, contributor, challenge, now, operatorAuthorized);
                return record(request, contributor, challenge, method, now);
            });
        });
    }

    /** Checks the challenge and every signature; answers how the change is authorised. */
    private static String authorize(BindWalletRequest request, Contributor contributor, WalletChallenge challenge,
            OffsetDateTime now, boolean operatorAuthorized) {
        Map<String, String> challengeMetadata = Map.of("challenge_id", challenge.id.toString());
        if (challenge.usedAt != null) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CHALLENGE_USED,
                    "the challenge was already used", challengeMetadata);
        }
        if (!now.isBefore(challenge.expiresAt)) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CHALLENGE_EXPIRED,
                    "the challenge expired at " + challenge.expiresAt.toInstant(), challengeMetadata);
        }
        if (!Objects.equals(challenge.replacesAccount, contributor.payoutAccount)) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_CHALLENGE_STALE,
                    "the contributor's wallet changed since the challenge was issued; request a new one",
                    challengeMetadata);
        }
        boolean rebinding = challenge.replacesAccount != null;
        var authorization = request.getRebindAuthorizationCase();
        if (!rebinding && authorization != BindWalletRequest.RebindAuthorizationCase.REBINDAUTHORIZATION_NOT_SET) {
            throw ERRORS.invalidArgument(authorization == BindWalletRequest.RebindAuthorizationCase.OPERATOR_OVERRIDE
                    ? "operator_override" : "old_wallet_signature", "must be absent on a first binding");
        }
        if (rebinding && authorization == BindWalletRequest.RebindAuthorizationCase.REBINDAUTHORIZATION_NOT_SET) {
            throw ERRORS.failedPrecondition(ErrorReason.ERROR_REASON_REBIND_AUTHORIZATION_REQUIRED,
                    "a wallet is bound: the old wallet's signature or an operator override is required",
                    Map.of("replaces_account", challenge.replacesAccount));
        }
        requireSigner("signature", challenge.message, request.getSignature(), challenge.account);
        return switch (authorization) {
            case REBINDAUTHORIZATION_NOT_SET -> WalletBinding.NEW_WALLET_SIGNATURE;
            case OLD_WALLET_SIGNATURE -> {
                requireSigner("old_wallet_signature", challenge.message, request.getOldWalletSignature(),
                        challenge.replacesAccount);
                yield WalletBinding.OLD_AND_NEW_WALLET_SIGNATURES;
            }
            case OPERATOR_OVERRIDE -> {
                if (!operatorAuthorized) {
                    throw ERRORS.status(Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_OPERATOR_NOT_AUTHORIZED,
                            "an operator override needs valid operator credentials", Map.of());
                }
                yield WalletBinding.OPERATOR_OVERRIDE;
            }
        };
    }

    private static void requireSigner(String field, String message, String signature, String account) {
        String expected = Caip10Account.parse(account).address();
        String signer = WalletSignatures.recoverSigner(message, signature).orElse(null);
        if (!expected.equals(signer)) {
            throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_WALLET_SIGNATURE_MISMATCH,
                    field + " was not made by " + account + " over the challenge message",
                    Map.of("field", field, "account", account));
        }
    }

    private Uni<BindWalletResponse> record(BindWalletRequest request, Contributor contributor,
            WalletChallenge challenge, String method, OffsetDateTime now) {
        challenge.usedAt = now;
        contributor.payoutAccount = challenge.account;
        WalletBinding binding = new WalletBinding();
        binding.id = Ids.newId();
        binding.contributorId = contributor.id;
        binding.account = challenge.account;
        binding.replacedAccount = challenge.replacesAccount;
        binding.method = method;
        binding.challengeId = challenge.id;
        binding.signature = request.getSignature();
        if (request.hasOldWalletSignature()) {
            binding.oldWalletSignature = request.getOldWalletSignature();
        }
        if (request.hasOperatorOverride()) {
            binding.operator = request.getOperatorOverride().getOperator();
            binding.reason = request.getOperatorOverride().getReason();
        }
        binding.requestId = request.getRequestId();
        binding.boundAt = now;
        // The old binding is closed and flushed first: at most one open binding per contributor (unique index).
        return bindings.currentOf(contributor.id)
                .invoke(current -> {
                    if (current != null) {
                        current.unboundAt = now;
                    }
                })
                .chain(ignored -> Panache.flush())
                .chain(() -> bindings.persistAndFlush(binding))
                .chain(() -> bindings.historyOf(contributor.id))
                .map(history -> BindWalletResponse.newBuilder()
                        .setContributor(ContributorMapper.toProto(contributor, history))
                        .setBinding(ContributorMapper.toProto(binding))
                        .build());
    }

    private static void validate(BindWalletRequest request) {
        FieldViolations violations = new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID")
                .require(Ids.parseOrNull(request.getContributorId()) != null, "contributor_id", "must be a UUID")
                .require(Ids.parseOrNull(request.getChallengeId()) != null, "challenge_id", "must be a UUID");
        WalletSignatures.malformation(request.getSignature())
                .ifPresent(problem -> violations.add("signature", problem));
        if (request.hasOldWalletSignature()) {
            WalletSignatures.malformation(request.getOldWalletSignature())
                    .ifPresent(problem -> violations.add("old_wallet_signature", problem));
        }
        if (request.hasOperatorOverride()) {
            OperatorOverride override = request.getOperatorOverride();
            violations
                    .require(!override.getOperator().isBlank(), "operator_override.operator", "must not be empty")
                    .require(override.getOperator().length() <= MAX_OPERATOR_LENGTH, "operator_override.operator",
                            "must be at most " + MAX_OPERATOR_LENGTH + " characters")
                    .require(!override.getReason().isBlank(), "operator_override.reason", "must not be empty")
                    .require(override.getReason().length() <= MAX_REASON_LENGTH, "operator_override.reason",
                            "must be at most " + MAX_REASON_LENGTH + " characters");
        }
        violations.throwIfAny(ERRORS);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static RuntimeException contributorNotFound(UUID id) {
        return ERRORS.notFound(ErrorReason.ERROR_REASON_CONTRIBUTOR_NOT_FOUND, "no contributor with contributor_id "
                + id, Map.of("contributor_id", id.toString()));
    }
}
