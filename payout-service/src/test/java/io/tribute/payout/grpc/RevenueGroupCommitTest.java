package io.tribute.payout.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.grpc.StatusDetails;
import io.tribute.common.v1.Money;
import io.tribute.payout.SimultaneousRevenues;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.client.FakeAttributionClient;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.ListJournalEntriesRequest;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.testing.PostgresResource;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RecordRevenue calls arriving together are posted in shared batches (one statement, one commit): through the real
 * gRPC client and PostgreSQL, many concurrent calls, duplicates and reused request ids keep exactly the semantics of
 * calls made one at a time. The test profile takes a 2.5% platform fee.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RevenueGroupCommitTest {

    private static final String ETH = "eip155:31337/slip44:60";
    private static final int REQUESTS = 40;
    private static final int COPIES = 3;

    @GrpcClient("payout")
    PayoutServiceBlockingStub payout;

    @Test
    void concurrentRevenuesWithDuplicatesPostOneBalancedJournalPerRequestId() throws Exception {
        List<String> contributors = new ArrayList<>();
        Map<String, Long> shares = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String contributor = UUID.randomUUID().toString();
            contributors.add(contributor);
            shares.put(contributor, 50_000L);
        }
        AttributedShares attribution = FakeAttributionClient.register(shares);
        List<RecordRevenueRequest> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            RecordRevenueRequest request = revenue(UUID.randomUUID(), attribution, Integer.toString(1_000_000 + i));
            for (int copy = 0; copy < COPIES; copy++) {
                calls.add(request);
            }
        }
        Collections.shuffle(calls);

        List<RecordRevenueResponse> responses = SimultaneousRevenues.record(payout, calls).stream()
                .map(RevenueGroupCommitTest::response)
                .toList();

        Map<String, List<RecordRevenueResponse>> byRequest = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            byRequest.computeIfAbsent(calls.get(i).getRequestId(), id -> new ArrayList<>()).add(responses.get(i));
        }
        assertThat(byRequest).hasSize(REQUESTS);
        BigInteger contributorsTotal = BigInteger.ZERO;
        for (var request : byRequest.entrySet()) {
            RecordRevenueResponse first = request.getValue().get(0);
            assertThat(request.getValue()).hasSize(COPIES).allSatisfy(response -> assertThat(response).isEqualTo(first));
            List<JournalEntry> stored = entriesOf(request.getKey());
            assertThat(stored).hasSize(22);
            assertThat(stored).extracting(JournalEntry::getJournalId).containsOnly(first.getJournal().getId());
            assertThat(sum(stored, JournalEntry::getDebit)).isEqualTo(sum(stored, JournalEntry::getCredit));
            contributorsTotal = contributorsTotal.add(sum(stored, JournalEntry::getCredit))
                    .subtract(new BigInteger(first.getFeeAmount()));
        }
        BigInteger accrued = contributors.stream().map(this::accrued).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(accrued).isEqualTo(contributorsTotal);
    }

    @Test
    void concurrentReuseOfARequestIdPostsOneJournalAndRefusesTheOtherPayload() throws Exception {
        String contributor = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(contributor, 1_000_000L));
        UUID requestId = UUID.randomUUID();
        List<RecordRevenueRequest> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(revenue(requestId, attribution, i % 2 == 0 ? "1000" : "2000"));
        }

        List<Object> outcomes = SimultaneousRevenues.record(payout, calls);

        List<RecordRevenueResponse> posted = outcomes.stream().filter(RecordRevenueResponse.class::isInstance)
                .map(RecordRevenueResponse.class::cast).toList();
        List<StatusRuntimeException> refused = outcomes.stream().filter(StatusRuntimeException.class::isInstance)
                .map(StatusRuntimeException.class::cast).toList();
        assertThat(posted).hasSize(6).allSatisfy(response -> assertThat(response).isEqualTo(posted.get(0)));
        assertThat(refused).hasSize(6).allSatisfy(failure -> {
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(StatusDetails.of(failure).reason()).isEqualTo("REQUEST_ID_REUSED");
        });
        String winningAmount = sum(posted.get(0).getJournal().getEntriesList(), JournalEntry::getDebit).toString();
        Map<String, Long> callsByAmount = calls.stream()
                .collect(Collectors.groupingBy(call -> call.getAmount().getAmount(), Collectors.counting()));
        assertThat(callsByAmount).containsEntry(winningAmount, 6L);
        assertThat(entriesOf(requestId.toString())).hasSize(3)
                .extracting(JournalEntry::getJournalId).containsOnly(posted.get(0).getJournal().getId());
        assertThat(accrued(contributor)).isEqualTo(new BigInteger(winningAmount).multiply(BigInteger.valueOf(975))
                .divide(BigInteger.valueOf(1000)));
    }

    private static RecordRevenueResponse response(Object outcome) {
        if (outcome instanceof StatusRuntimeException failure) {
            throw failure;
        }
        return (RecordRevenueResponse) outcome;
    }

    private List<JournalEntry> entriesOf(String requestId) {
        return payout.listJournalEntries(ListJournalEntriesRequest.newBuilder().setRequestId(requestId)
                .setPageSize(1_000).build()).getEntriesList();
    }

    private BigInteger accrued(String contributor) {
        return new BigInteger(payout.getBalance(GetBalanceRequest.newBuilder().setContributorId(contributor)
                .setCurrency(ETH).build()).getBalances(0).getAccrued());
    }

    private static BigInteger sum(List<JournalEntry> entries, java.util.function.Function<JournalEntry, String> side) {
        return entries.stream().map(side).map(BigInteger::new).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static RecordRevenueRequest revenue(UUID requestId, AttributedShares attribution, String amount) {
        return RecordRevenueRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setAttributionId(attribution.attributionId().toString())
                .setAmount(Money.newBuilder().setAsset(ETH).setAmount(amount))
                .build();
    }
}
