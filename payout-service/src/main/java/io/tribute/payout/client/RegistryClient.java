package io.tribute.payout.client;

import static io.tribute.payout.grpc.PayoutErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.common.v1.ErrorReason;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.MutinyRegistryServiceGrpc.MutinyRegistryServiceStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one seam to registry-service: reads contributors' bound payout accounts (CAIP-10). */
@ApplicationScoped
public class RegistryClient {

    /** The registry's most ids per ListContributors call (tribute.registry.max-batch-get). */
    private static final int IDS_PER_CALL = 1_000;

    @GrpcClient("registry")
    MutinyRegistryServiceStub registry;

    @ConfigProperty(name = "quarkus.grpc.clients.registry.deadline")
    Duration deadline;

    /** Each given contributor's bound payout account; contributors without one (or unknown) are absent. */
    public Uni<Map<UUID, String>> payoutAccounts(List<UUID> contributors) {
        List<List<UUID>> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < contributors.size(); from += IDS_PER_CALL) {
            chunks.add(contributors.subList(from, Math.min(contributors.size(), from + IDS_PER_CALL)));
        }
        return Multi.createFrom().iterable(chunks)
                .onItem().transformToUniAndConcatenate(this::accountsOf)
                .collect().in(HashMap<UUID, String>::new, Map::putAll)
                .map(accounts -> (Map<UUID, String>) accounts)
                .onFailure(StatusRuntimeException.class).transform(failure -> unavailable(
                        (StatusRuntimeException) failure));
    }

    private Uni<Map<UUID, String>> accountsOf(List<UUID> ids) {
        ListContributorsRequest request = ListContributorsRequest.newBuilder()
                .addAllContributorIds(ids.stream().map(UUID::toString).toList())
                .setHasPayoutAccount(true)
                .setPageSize(IDS_PER_CALL)
                .build();
        // The injected stub's deadline is fixed when it is created: each call gets the configured one from now.
        MutinyRegistryServiceStub stub = registry.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        return stub.listContributors(request).map(response -> {
            Map<UUID, String> accounts = new HashMap<>();
            for (Contributor contributor : response.getContributorsList()) {
                if (!contributor.getPayoutAccount().isEmpty()) {
                    accounts.put(UUID.fromString(contributor.getId()), contributor.getPayoutAccount());
                }
            }
            return accounts;
        });
    }

    private static RuntimeException unavailable(StatusRuntimeException failure) {
        Code code = failure.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
                ? Code.DEADLINE_EXCEEDED : Code.UNAVAILABLE;
        return ERRORS.status(code, ErrorReason.ERROR_REASON_PEER_UNAVAILABLE, "registry-service is unavailable",
                Map.of("peer", "registry"));
    }
}
