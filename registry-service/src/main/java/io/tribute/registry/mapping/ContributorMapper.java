package io.tribute.registry.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.registry.Contributor;
import io.tribute.registry.WalletBinding;
import io.tribute.registry.WalletChallenge;
import io.tribute.registry.v1.WalletBindingMethod;
import java.time.OffsetDateTime;
import java.util.List;

/** Maps contributors, their wallet bindings and wallet challenges between their stored and their wire form. */
public final class ContributorMapper {

    private static final String METHOD_PREFIX = "WALLET_BINDING_METHOD_";

    private ContributorMapper() {
    }

    public static io.tribute.registry.v1.Contributor toProto(Contributor contributor) {
        return toProto(contributor, List.of());
    }

    /** The contributor with its binding history, oldest first. */
    public static io.tribute.registry.v1.Contributor toProto(Contributor contributor, List<WalletBinding> history) {
        var proto = io.tribute.registry.v1.Contributor.newBuilder()
                .setId(contributor.id.toString())
                .setDisplayName(contributor.displayName)
                .setExternalRef(contributor.externalRef)
                .setCreatedAt(timestamp(contributor.createdAt));
        if (contributor.payoutAccount != null) {
            proto.setPayoutAccount(contributor.payoutAccount);
        }
        history.forEach(binding -> proto.addWalletBindings(toProto(binding)));
        return proto.build();
    }

    public static io.tribute.registry.v1.WalletBinding toProto(WalletBinding binding) {
        var proto = io.tribute.registry.v1.WalletBinding.newBuilder()
                .setAccount(binding.account)
                .setMethod(WalletBindingMethod.valueOf(METHOD_PREFIX + binding.method))
                .setChallengeId(binding.challengeId.toString())
                .setSignature(binding.signature)
                .setRequestId(binding.requestId)
                .setBoundAt(timestamp(binding.boundAt));
        if (binding.replacedAccount != null) {
            proto.setReplacedAccount(binding.replacedAccount);
        }
        if (binding.oldWalletSignature != null) {
            proto.setOldWalletSignature(binding.oldWalletSignature);
        }
        if (binding.operator != null) {
            proto.setOperator(binding.operator);
        }
        if (binding.reason != null) {
            proto.setReason(binding.reason);
        }
        if (binding.unboundAt != null) {
            proto.setUnboundAt(timestamp(binding.unboundAt));
        }
        return proto.build();
    }

    public static io.tribute.registry.v1.WalletChallenge toProto(WalletChallenge challenge) {
        var proto = io.tribute.registry.v1.WalletChallenge.newBuilder()
                .setId(challenge.id.toString())
                .setContributorId(challenge.contributorId.toString())
                .setAccount(challenge.account)
                .setNonce(challenge.nonce)
                .setMessage(challenge.message)
                .setIssuedAt(timestamp(challenge.issuedAt))
                .setExpiresAt(timestamp(challenge.expiresAt));
        if (challenge.replacesAccount != null) {
            proto.setReplacesAccount(challenge.replacesAccount);
        }
        return proto.build();
    }

    static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }
}
