package io.tribute.payout.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.tribute.common.v1.Money;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.client.FakeAttributionClient;
import io.tribute.payout.v1.AccountType;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.JournalKind;
import io.tribute.payout.v1.ListJournalEntriesRequest;
import io.tribute.payout.v1.ListJournalEntriesResponse;
import io.tribute.payout.v1.MutinyPayoutServiceGrpc.MutinyPayoutServiceStub;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.payout.v1.RecordRevenuesRequest;
import io.tribute.payout.v1.RecordRevenuesResponse;
import io.tribute.testing.PostgresResource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * RecordRevenue, RecordRevenues, GetBalance and ListJournalEntries through the real gRPC client and PostgreSQL; the
 * attribution comes from FakeAttributionClient (attribution-service's GetAttribution is being built in parallel).
 * The test profile takes a 2.5% platform fee.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LedgerRpcTest {

    private static final String DOMAIN = "payout.tribute.io";
    private static final String ETH = "eip155:31337/slip44:60";

    @GrpcClient("payout")
    PayoutServiceBlockingStub payout;

    @GrpcClient("payout")
    MutinyPayoutServiceStub streaming;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void revenueIsSplitExactlyByShareAfterTheFeeAndAccrues() {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(alice, 700_000L, bob, 300_000L));

        RecordRevenueResponse response = payout.recordRevenue(revenue(UUID.randomUUID(), attribution, "1000001"));

        // fee = ⌊1,000,001 × 25,000 / 10^6⌋ = 25,000; the rest 975,001 splits 682,500.7 / 292,500.3.
        assertThat(response.getFeeAmount()).isEqualTo("25000");
        assertThat(response.getJournal().getKind()).isEqualTo(JournalKind.JOURNAL_KIND_REVENUE);
        assertThat(response.getJournal().getReferences().getAttributionId())
                .isEqualTo(attribution.attributionId().toString());
        assertThat(response.getJournal().getEntriesList()).hasSize(4);
        assertThat(balance(alice).getAccrued()).isEqualTo("682501");
        assertThat(balance(bob).getAccrued()).isEqualTo("292500");
        assertThat(balance(alice).getInSettlement()).isEqualTo("0");
        assertThat(balance(alice).getPaid()).isEqualTo("0");
        BigInteger debits = BigInteger.ZERO;
        BigInteger credits = BigInteger.ZERO;
        for (JournalEntry entry : response.getJournal().getEntriesList()) {
            debits = debits.add(new BigInteger(entry.getDebit()));
            credits = credits.add(new BigInteger(entry.getCredit()));
        }
        assertThat(debits).isEqualTo(credits).isEqualTo(new BigInteger("1000001"));
    }

    @Test
    void revenueCanNameTheAttributionByOutputHash() {
        String carol = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(carol, 1_000_000L));

        payout.recordRevenue(RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setOutputSha256(attribution.outputSha256())
                .setAmount(Money.newBuilder().setAsset(ETH).setAmount("40")).build());

        assertThat(balance(carol).getAccrued()).isEqualTo("39");
    }

    @Test
    void replayedRequestPostsNothingTwiceAndReturnsTheSameJournal() {
        String dave = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(dave, 1_000_000L));
        RecordRevenueRequest request = revenue(UUID.randomUUID(), attribution, "5000");

        RecordRevenueResponse first = payout.recordRevenue(request);
        RecordRevenueResponse replay = payout.recordRevenue(request);

        assertThat(replay).isEqualTo(first);
        assertThat(balance(dave).getAccrued()).isEqualTo("4875");
        assertThat(payout.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                .setRequestId(request.getRequestId()).build()).getEntriesCount()).isEqualTo(3);
    }

    @Test
    void replayRebuildsTheFirstReplyByteForByteFromItsJournalWithoutStoringIt() throws SQLException {
        String frank = UUID.randomUUID().toString();
        String grace = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(frank, 333_333L, grace, 666_667L));
        RecordRevenueRequest request = revenue(UUID.randomUUID(), attribution, "1000000000000000000001").toBuilder()
                .setExternalRef("invoice-17").build();

        RecordRevenueResponse first = payout.recordRevenue(request);
        RecordRevenueResponse replay = payout.recordRevenue(request);

        assertThat(replay.toByteString()).isEqualTo(first.toByteString());
        assertThat(first.getFeeAmount()).isNotEqualTo("0");
        assertThat(first.getJournal().getReferences().getExternalRef()).isEqualTo("invoice-17");
        assertThat(query("SELECT count(*) FROM idempotent_request WHERE response IS NULL AND request_id = '"
                + request.getRequestId() + "'")).isEqualTo("1");
    }

    @Test
    void replayOfAClaimStoredWithItsResponseReturnsTheStoredResponse() throws SQLException {
        AttributedShares attribution = FakeAttributionClient.register(Map.of(UUID.randomUUID().toString(), 1_000_000L));
        RecordRevenueRequest request = revenue(UUID.randomUUID(), attribution, "700");
        RecordRevenueResponse first = payout.recordRevenue(request);
        // A claim written before responses were rebuilt holds its response; marked here to tell it from a rebuild.
        RecordRevenueResponse stored = first.toBuilder().setFeeAmount("stored").build();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                var update = connection.prepareStatement(
                        "UPDATE idempotent_request SET response = ? WHERE request_id = ?")) {
            update.setBytes(1, stored.toByteArray());
            update.setString(2, request.getRequestId());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        assertThat(payout.recordRevenue(request)).isEqualTo(stored);
    }

    @Test
    void concurrentDuplicatesPostOnceAndAllGetTheSameJournal() throws Exception {
        String erin = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(erin, 1_000_000L));
        RecordRevenueRequest request = revenue(UUID.randomUUID(), attribution, "8000");

        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<RecordRevenueResponse>>();
            for (int i = 0; i < 8; i++) {
                calls.add(callers.submit(() -> payout.recordRevenue(request)));
            }
            RecordRevenueResponse first = calls.get(0).get();
            for (var call : calls) {
                assertThat(call.get()).isEqualTo(first);
            }
        } finally {
            callers.shutdown();
        }
        assertThat(balance(erin).getAccrued()).isEqualTo("7800");
        assertThat(payout.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                .setRequestId(request.getRequestId()).build()).getEntriesCount()).isEqualTo(3);
    }

    @Test
    void reusedRequestIdWithAnotherRevenueIsRefused() {
        AttributedShares attribution = FakeAttributionClient.register(Map.of(UUID.randomUUID().toString(), 1_000_000L));
        UUID requestId = UUID.randomUUID();
        payout.recordRevenue(revenue(requestId, attribution, "100"));

        assertFails(() -> payout.recordRevenue(revenue(requestId, attribution, "101")),
                Status.Code.ALREADY_EXISTS, DOMAIN, "REQUEST_ID_REUSED");
    }

    @Test
    void malformedRevenueListsEveryViolationAndPostsNothing() {
        RecordRevenueRequest request = RecordRevenueRequest.newBuilder()
                .setRequestId("nope")
                .setAttributionId("not-a-uuid")
                .setAmount(Money.newBuilder().setAsset("ether").setAmount("0"))
                .setExternalRef("x".repeat(257))
                .build();

        assertThat(violatedFields(() -> payout.recordRevenue(request), DOMAIN))
                .containsExactly("request_id", "attribution_id", "amount.asset", "amount.amount", "external_ref");
        assertThat(violatedFields(() -> payout.recordRevenue(revenue(UUID.randomUUID(),
                FakeAttributionClient.register(Map.of(UUID.randomUUID().toString(), 1L)),
                "115792089237316195423570985008687907853269984665640564039457584007913129639936")), DOMAIN))
                .containsExactly("amount.amount");
    }

    @Test
    void unknownAttributionAndUnsupportedCurrencyAreFailedPreconditions() {
        RecordRevenueRequest unknown = RecordRevenueRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAttributionId(UUID.randomUUID().toString())
                .setAmount(Money.newBuilder().setAsset(ETH).setAmount("10")).build();
        assertFails(() -> payout.recordRevenue(unknown), Status.Code.FAILED_PRECONDITION, DOMAIN,
                "ATTRIBUTION_NOT_FOUND");
        assertFails(() -> payout.recordRevenue(unknown.toBuilder()
                        .setAmount(Money.newBuilder().setAsset("eip155:1/slip44:60").setAmount("10")).build()),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "CURRENCY_NOT_SUPPORTED");
    }

    @Test
    void revenueStreamAnswersEveryItemInOrderAndReportsFailedItems() {
        String erin = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(erin, 1_000_000L));
        List<RecordRevenuesRequest> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(RecordRevenuesRequest.newBuilder()
                    .setItem(revenue(UUID.randomUUID(), attribution, "1000")).build());
        }
        items.add(2, RecordRevenuesRequest.newBuilder().setItem(revenue(UUID.randomUUID(), attribution, "0"))
                .build());

        List<RecordRevenuesResponse> responses = streaming.recordRevenues(Multi.createFrom().iterable(items))
                .collect().asList().await().atMost(Duration.ofSeconds(30));

        assertThat(responses).extracting(RecordRevenuesResponse::getIndex).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(responses).extracting(RecordRevenuesResponse::getRequestId)
                .containsExactlyElementsOf(items.stream().map(item -> item.getItem().getRequestId()).toList());
        assertThat(responses.get(2).hasError()).isTrue();
        assertThat(responses.get(2).getError().getReason()).isEqualTo("INVALID_FIELD");
        assertThat(responses.get(2).getError().getFieldViolations(0).getField()).isEqualTo("amount.amount");
        assertThat(responses).filteredOn(RecordRevenuesResponse::hasResult).hasSize(5);
        assertThat(balance(erin).getAccrued()).isEqualTo("4875");
    }

    @Test
    void journalEntriesArePagedByIdAcrossTheWholeListing() {
        String frank = UUID.randomUUID().toString();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(frank, 1_000_000L));
        for (int i = 0; i < 5; i++) {
            payout.recordRevenue(revenue(UUID.randomUUID(), attribution, "100"));
        }

        List<JournalEntry> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListJournalEntriesResponse page = payout.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                    .setContributorId(frank).setPageSize(2).setPageToken(token).build());
            seen.addAll(page.getEntriesList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).allSatisfy(entry -> {
            assertThat(entry.getAccount().getType()).isEqualTo(AccountType.ACCOUNT_TYPE_CONTRIBUTOR_PAYABLE);
            assertThat(entry.getAccount().getContributorId()).isEqualTo(frank);
            assertThat(entry.getCredit()).isEqualTo("98");
        });
        assertThat(seen).extracting(JournalEntry::getId).isSorted().doesNotHaveDuplicates();
        assertFails(() -> payout.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                        .setCurrency(ETH).setPageToken(payout.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                                .setContributorId(frank).setPageSize(1).build()).getNextPageToken()).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_PAGE_TOKEN");
    }

    @Test
    void feeAccountBalanceCountsEveryFeeTaken() {
        CurrencyBalance before = feeBalance();
        AttributedShares attribution = FakeAttributionClient.register(Map.of(UUID.randomUUID().toString(), 1_000_000L));

        payout.recordRevenue(revenue(UUID.randomUUID(), attribution, "1000"));

        assertThat(new BigInteger(feeBalance().getAccrued()).subtract(new BigInteger(before.getAccrued())))
                .isEqualTo(25);
    }

    @Test
    void contributorWithoutEntriesHasNoBalancesAndMalformedOwnerIsInvalid() {
        assertThat(payout.getBalance(GetBalanceRequest.newBuilder()
                .setContributorId(UUID.randomUUID().toString()).build()).getBalancesList()).isEmpty();
        assertThat(violatedFields(() -> payout.getBalance(GetBalanceRequest.newBuilder()
                .setContributorId("x").setCurrency("eth").build()), DOMAIN))
                .containsExactly("contributor_id", "currency");
    }

    private CurrencyBalance balance(String contributor) {
        return payout.getBalance(GetBalanceRequest.newBuilder().setContributorId(contributor).setCurrency(ETH)
                .build()).getBalances(0);
    }

    private CurrencyBalance feeBalance() {
        var balances = payout.getBalance(GetBalanceRequest.newBuilder().setFeeAccount(true).setCurrency(ETH).build())
                .getBalancesList();
        return balances.isEmpty() ? CurrencyBalance.newBuilder().setAccrued("0").build() : balances.get(0);
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                var result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static RecordRevenueRequest revenue(UUID requestId, AttributedShares attribution, String amount) {
        return RecordRevenueRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setAttributionId(attribution.attributionId().toString())
                .setAmount(Money.newBuilder().setAsset(ETH).setAmount(amount))
                .build();
    }
}
