package io.tribute.registry.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.registry.MovableClock;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.BindWalletResponse;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
import io.tribute.registry.v1.GetContributorRequest;
import io.tribute.registry.v1.OperatorOverride;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.registry.v1.WalletBinding;
import io.tribute.registry.v1.WalletBindingMethod;
import io.tribute.registry.v1.WalletChallenge;
import io.tribute.testing.PostgresResource;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Sign;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class WalletRpcTest {

    private static final String DOMAIN = "registry.tribute.io";
    private static final String OPERATOR_TOKEN = "test-operator-token";

    @GrpcClient("registry")
    RegistryServiceBlockingStub registry;

    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void challengeMessageNamesContributorAccountNonceAndExpiry() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();

        WalletChallenge challenge = challenge(contributor, wallet);

        assertThat(challenge.getNonce()).matches("[0-9a-f]{32}");
        assertThat(challenge.getReplacesAccount()).isEmpty();
        assertThat(challenge.getExpiresAt().getSeconds() - challenge.getIssuedAt().getSeconds())
                .isEqualTo(Duration.ofMinutes(10).toSeconds());
        assertThat(challenge.getMessage()).isEqualTo(String.join("\n",
                "Tribute wallet binding",
                "Contributor: " + contributor.getId(),
                "Account: " + wallet.account(),
                "Replaces: none",
                "Nonce: " + challenge.getNonce(),
                "Issued At: " + rfc3339(challenge.getIssuedAt().getSeconds()),
                "Expiration Time: " + rfc3339(challenge.getExpiresAt().getSeconds())));
    }

    @Test
    void replayedChallengeRequestReturnsTheSameChallenge() {
        Contributor contributor = newContributor();
        CreateWalletChallengeRequest request = challengeRequest(contributor, TestWallet.generate().account());

        assertThat(registry.createWalletChallenge(request)).isEqualTo(registry.createWalletChallenge(request));
    }

    @Test
    void signatureOfTheWalletBindsItAndIsKeptInTheHistory() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        BindWalletRequest request = bindRequest(contributor, challenge, wallet.sign(challenge.getMessage())).build();

        BindWalletResponse response = registry.bindWallet(request);

        assertThat(response.getContributor().getPayoutAccount()).isEqualTo(wallet.account());
        WalletBinding binding = response.getBinding();
        assertThat(binding.getAccount()).isEqualTo(wallet.account());
        assertThat(binding.getMethod()).isEqualTo(WalletBindingMethod.WALLET_BINDING_METHOD_NEW_WALLET_SIGNATURE);
        assertThat(binding.getChallengeId()).isEqualTo(challenge.getId());
        assertThat(binding.getSignature()).isEqualTo(request.getSignature());
        assertThat(binding.getRequestId()).isEqualTo(request.getRequestId());
        assertThat(binding.getReplacedAccount()).isEmpty();
        assertThat(binding.hasUnboundAt()).isFalse();
        assertThat(get(contributor).getWalletBindingsList()).containsExactly(binding);
        assertThat(get(contributor).getPayoutAccount()).isEqualTo(wallet.account());
    }

    @Test
    void signatureOfAnotherKeyIsRefusedAndBindsNothing() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        String forged = TestWallet.generate().sign(challenge.getMessage());

        ErrorInfo info = assertFails(() -> registry.bindWallet(bindRequest(contributor, challenge, forged).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "WALLET_SIGNATURE_MISMATCH");

        assertThat(info.getMetadataMap()).containsEntry("field", "signature");
        assertThat(get(contributor).getPayoutAccount()).isEmpty();
        assertThat(get(contributor).getWalletBindingsList()).isEmpty();
        // The refused attempt did not consume the challenge.
        registry.bindWallet(bindRequest(contributor, challenge, wallet.sign(challenge.getMessage())).build());
        assertThat(get(contributor).getPayoutAccount()).isEqualTo(wallet.account());
    }

    @Test
    void signatureOverAnotherMessageIsRefused() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);

        assertFails(() -> registry.bindWallet(bindRequest(contributor, challenge,
                        wallet.sign(challenge.getMessage() + " ")).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "WALLET_SIGNATURE_MISMATCH");
    }

    @Test
    void expiredChallengeIsRefused() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertFails(() -> registry.bindWallet(bindRequest(contributor, challenge,
                        wallet.sign(challenge.getMessage())).build()),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "CHALLENGE_EXPIRED");
        assertThat(get(contributor).getPayoutAccount()).isEmpty();
    }

    @Test
    void usedChallengeIsRefused() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        String signature = wallet.sign(challenge.getMessage());
        registry.bindWallet(bindRequest(contributor, challenge, signature).build());

        assertFails(() -> registry.bindWallet(bindRequest(contributor, challenge, signature).build()),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "CHALLENGE_USED");
        assertThat(get(contributor).getWalletBindingsList()).hasSize(1);
    }

    @Test
    void challengeOfAnotherContributorIsNotFound() {
        Contributor owner = newContributor();
        Contributor other = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(owner, wallet);

        assertFails(() -> registry.bindWallet(bindRequest(other, challenge, wallet.sign(challenge.getMessage()))
                        .build()),
                Status.Code.NOT_FOUND, DOMAIN, "CHALLENGE_NOT_FOUND");
    }

    @Test
    void accountWithoutAValidEip55ChecksumIsInvalidArgument() {
        Contributor contributor = newContributor();
        String address = TestWallet.generate().address();
        String wrongChecksum = flipCaseOfFirstLetter(address);

        for (String account : List.of("eip155:1:" + address.toLowerCase(),
                "eip155:1:0x" + address.substring(2).toUpperCase(), "eip155:1:" + wrongChecksum,
                "eip155:0:" + address, "cosmos:hub:" + address, address)) {
            assertThat(violatedFields(() -> registry.createWalletChallenge(challengeRequest(contributor, account)),
                    DOMAIN)).as(account).containsExactly("account");
        }
    }

    @Test
    void malformedSignaturesAreInvalidArgumentAndConsumeNothing() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        String valid = wallet.sign(challenge.getMessage());
        String badV = valid.substring(0, 130) + "1d";
        String highS = withHighS(valid);

        for (String signature : List.of("", "0x1234", valid.substring(2), badV, highS)) {
            assertThat(violatedFields(() -> registry.bindWallet(bindRequest(contributor, challenge, signature)
                    .build()), DOMAIN)).as(signature).containsExactly("signature");
        }
        registry.bindWallet(bindRequest(contributor, challenge, valid).build());
    }

    @Test
    void zeroOrOneRecoveryIdIsAccepted() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        String signature = wallet.sign(challenge.getMessage());
        int v = Integer.parseInt(signature.substring(130), 16) - 27;

        registry.bindWallet(bindRequest(contributor, challenge, signature.substring(0, 130) + "0" + v).build());

        assertThat(get(contributor).getPayoutAccount()).isEqualTo(wallet.account());
    }

    @Test
    void challengeForTheAlreadyBoundAccountIsRefused() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        bindFirst(contributor, wallet);

        assertFails(() -> registry.createWalletChallenge(challengeRequest(contributor, wallet.account())),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "WALLET_ALREADY_BOUND");
    }

    @Test
    void firstBindingRefusesARebindAuthorization() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        String signature = wallet.sign(challenge.getMessage());

        assertThat(violatedFields(() -> registry.bindWallet(bindRequest(contributor, challenge, signature)
                .setOldWalletSignature(signature).build()), DOMAIN)).containsExactly("old_wallet_signature");
        assertThat(get(contributor).getPayoutAccount()).isEmpty();
    }

    @Test
    void rebindWithoutTheOldWalletIsRefused() {
        Contributor contributor = newContributor();
        TestWallet old = TestWallet.generate();
        bindFirst(contributor, old);
        TestWallet replacement = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, replacement);

        assertThat(challenge.getReplacesAccount()).isEqualTo(old.account());
        assertThat(challenge.getMessage()).contains("\nReplaces: " + old.account() + "\n");
        assertFails(() -> registry.bindWallet(bindRequest(contributor, challenge,
                        replacement.sign(challenge.getMessage())).build()),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "REBIND_AUTHORIZATION_REQUIRED");
        assertThat(get(contributor).getPayoutAccount()).isEqualTo(old.account());
    }

    @Test
    void rebindSignedByAnotherKeyThanTheOldWalletIsRefused() {
        Contributor contributor = newContributor();
        bindFirst(contributor, TestWallet.generate());
        TestWallet replacement = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, replacement);

        ErrorInfo info = assertFails(() -> registry.bindWallet(bindRequest(contributor, challenge,
                        replacement.sign(challenge.getMessage()))
                        .setOldWalletSignature(replacement.sign(challenge.getMessage())).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "WALLET_SIGNATURE_MISMATCH");
        assertThat(info.getMetadataMap()).containsEntry("field", "old_wallet_signature");
    }

    @Test
    void rebindSignedByOldAndNewWalletReplacesTheAccountAndKeepsHistory() {
        Contributor contributor = newContributor();
        TestWallet old = TestWallet.generate();
        WalletBinding first = bindFirst(contributor, old);
        TestWallet replacement = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, replacement);

        BindWalletResponse response = registry.bindWallet(bindRequest(contributor, challenge,
                replacement.sign(challenge.getMessage()))
                .setOldWalletSignature(old.sign(challenge.getMessage())).build());

        assertThat(response.getBinding().getMethod())
                .isEqualTo(WalletBindingMethod.WALLET_BINDING_METHOD_OLD_AND_NEW_WALLET_SIGNATURES);
        assertThat(response.getBinding().getReplacedAccount()).isEqualTo(old.account());
        assertThat(response.getBinding().getOldWalletSignature()).isNotEmpty();
        Contributor after = get(contributor);
        assertThat(after.getPayoutAccount()).isEqualTo(replacement.account());
        assertThat(after.getWalletBindingsList()).hasSize(2);
        WalletBinding closed = after.getWalletBindings(0);
        assertThat(closed.getAccount()).isEqualTo(first.getAccount());
        assertThat(closed.getUnboundAt()).isEqualTo(response.getBinding().getBoundAt());
        assertThat(after.getWalletBindings(1)).isEqualTo(response.getBinding());
    }

    @Test
    void challengeIssuedBeforeAnotherBindingIsStale() {
        Contributor contributor = newContributor();
        TestWallet first = TestWallet.generate();
        TestWallet second = TestWallet.generate();
        WalletChallenge firstChallenge = challenge(contributor, first);
        WalletChallenge secondChallenge = challenge(contributor, second);
        registry.bindWallet(bindRequest(contributor, firstChallenge, first.sign(firstChallenge.getMessage()))
                .build());

        assertFails(() -> registry.bindWallet(bindRequest(contributor, secondChallenge,
                        second.sign(secondChallenge.getMessage())).build()),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "CHALLENGE_STALE");
        assertThat(get(contributor).getPayoutAccount()).isEqualTo(first.account());
    }

    @Test
    void operatorOverrideWithCredentialsRecordsOperatorAndReason() {
        Contributor contributor = newContributor();
        TestWallet old = TestWallet.generate();
        bindFirst(contributor, old);
        TestWallet replacement = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, replacement);

        BindWalletResponse response = asOperator(OPERATOR_TOKEN).bindWallet(bindRequest(contributor, challenge,
                replacement.sign(challenge.getMessage())).setOperatorOverride(override()).build());

        WalletBinding binding = response.getBinding();
        assertThat(binding.getMethod()).isEqualTo(WalletBindingMethod.WALLET_BINDING_METHOD_OPERATOR_OVERRIDE);
        assertThat(binding.getOperator()).isEqualTo("ops@tribute.example");
        assertThat(binding.getReason()).isEqualTo("ticket 42: lost key, identity verified by video call");
        assertThat(binding.getReplacedAccount()).isEqualTo(old.account());
        assertThat(get(contributor).getPayoutAccount()).isEqualTo(replacement.account());
    }

    @Test
    void operatorOverrideWithoutValidCredentialsIsDenied() {
        Contributor contributor = newContributor();
        TestWallet old = TestWallet.generate();
        bindFirst(contributor, old);
        TestWallet replacement = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, replacement);
        BindWalletRequest request = bindRequest(contributor, challenge, replacement.sign(challenge.getMessage()))
                .setOperatorOverride(override()).build();

        assertFails(() -> registry.bindWallet(request),
                Status.Code.PERMISSION_DENIED, DOMAIN, "OPERATOR_NOT_AUTHORIZED");
        assertFails(() -> asOperator("guessed-token").bindWallet(request),
                Status.Code.PERMISSION_DENIED, DOMAIN, "OPERATOR_NOT_AUTHORIZED");
        assertThat(get(contributor).getPayoutAccount()).isEqualTo(old.account());
        assertThat(violatedFields(() -> asOperator(OPERATOR_TOKEN).bindWallet(request.toBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setOperatorOverride(OperatorOverride.newBuilder().setOperator("ops")).build()), DOMAIN))
                .containsExactly("operator_override.reason");
    }

    @Test
    void replayedBindReturnsFirstResultAfterTheChallengeIsUsed() {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        BindWalletRequest request = bindRequest(contributor, challenge, wallet.sign(challenge.getMessage())).build();

        BindWalletResponse first = registry.bindWallet(request);
        BindWalletResponse replay = registry.bindWallet(request);

        assertThat(replay).isEqualTo(first);
        assertThat(get(contributor).getWalletBindingsList()).hasSize(1);
    }

    @Test
    void concurrentDuplicateBindsHaveOneEffectAndTheSameReply() throws Exception {
        Contributor contributor = newContributor();
        TestWallet wallet = TestWallet.generate();
        WalletChallenge challenge = challenge(contributor, wallet);
        BindWalletRequest request = bindRequest(contributor, challenge, wallet.sign(challenge.getMessage())).build();
        int callers = 8;

        List<BindWalletResponse> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Callable<BindWalletResponse>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(() -> registry.bindWallet(request));
            }
            for (Future<BindWalletResponse> reply : pool.invokeAll(calls)) {
                replies.add(reply.get());
            }
        }

        assertThat(replies).hasSize(callers).allSatisfy(reply -> assertThat(reply).isEqualTo(replies.getFirst()));
        assertThat(get(contributor).getWalletBindingsList()).hasSize(1);
    }

    private WalletBinding bindFirst(Contributor contributor, TestWallet wallet) {
        WalletChallenge challenge = challenge(contributor, wallet);
        return registry.bindWallet(bindRequest(contributor, challenge, wallet.sign(challenge.getMessage())).build())
                .getBinding();
    }

    private WalletChallenge challenge(Contributor contributor, TestWallet wallet) {
        return registry.createWalletChallenge(challengeRequest(contributor, wallet.account())).getChallenge();
    }

    private Contributor newContributor() {
        String ref = "user-" + UUID.randomUUID();
        return registry.createContributor(CreateContributorRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributor(Contributor.newBuilder().setDisplayName("Wallet owner").setExternalRef(ref))
                .build()).getContributor();
    }

    private Contributor get(Contributor contributor) {
        return registry.getContributor(GetContributorRequest.newBuilder().setContributorId(contributor.getId())
                .build()).getContributor();
    }

    private RegistryServiceBlockingStub asOperator(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("tribute-operator-token", Metadata.ASCII_STRING_MARSHALLER), token);
        return registry.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static OperatorOverride override() {
        return OperatorOverride.newBuilder().setOperator("ops@tribute.example")
                .setReason("ticket 42: lost key, identity verified by video call").build();
    }

    private static CreateWalletChallengeRequest challengeRequest(Contributor contributor, String account) {
        return CreateWalletChallengeRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributorId(contributor.getId())
                .setAccount(account)
                .build();
    }

    private static BindWalletRequest.Builder bindRequest(Contributor contributor, WalletChallenge challenge,
            String signature) {
        return BindWalletRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setContributorId(contributor.getId())
                .setChallengeId(challenge.getId())
                .setSignature(signature);
    }

    private static String rfc3339(long epochSecond) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond));
    }

    private static String flipCaseOfFirstLetter(String address) {
        char[] chars = address.toCharArray();
        for (int i = 2; i < chars.length; i++) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i])
                        : Character.toUpperCase(chars[i]);
                return new String(chars);
            }
        }
        throw new IllegalStateException("address without letters");
    }

    /** The same signature with s replaced by n - s (still valid ECDSA, but malleable: refused by EIP-2). */
    private static String withHighS(String signature) {
        BigInteger n = Sign.CURVE_PARAMS.getN();
        BigInteger s = new BigInteger(signature.substring(66, 130), 16);
        String highS = String.format("%064x", n.subtract(s));
        return signature.substring(0, 66) + highS + signature.substring(130);
    }
}
