package io.tribute.payout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.common.grpc.StatusDetails;
import io.tribute.common.v1.Money;
import io.tribute.payout.client.AttributedShares;
import io.tribute.payout.client.FakeAttributionClient;
import io.tribute.payout.v1.ListJournalEntriesRequest;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.testing.DatabaseOutageContract;
import io.tribute.testing.RestartablePostgresResource;
import io.tribute.testing.ServicePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RestartablePostgresResource.class)
class DatabaseOutageTest extends DatabaseOutageContract {

    private static final String ETH = "eip155:31337/slip44:60";

    @GrpcClient("payout")
    PayoutServiceBlockingStub payout;

    /**
     * Calls posted together while the database is gone each answer UNAVAILABLE and post nothing; sent again once it is
     * back, each posts its journal once.
     */
    @Test
    void revenuesBatchedDuringAnOutageFailUnavailableAndPostNothing() throws Exception {
        AttributedShares attribution = FakeAttributionClient.register(Map.of(UUID.randomUUID().toString(), 1_000_000L));
        List<RecordRevenueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            requests.add(RecordRevenueRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setAttributionId(attribution.attributionId().toString())
                    .setAmount(Money.newBuilder().setAsset(ETH).setAmount("1000")).build());
        }

        List<Object> outcomes;
        postgres.stop();
        try {
            outcomes = SimultaneousRevenues.record(payout, requests);
        } finally {
            postgres.startAgain();
        }

        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome).isInstanceOf(StatusRuntimeException.class);
            StatusRuntimeException failure = (StatusRuntimeException) outcome;
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(StatusDetails.of(failure).reason()).isEqualTo("DATABASE_UNAVAILABLE");
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(
                () -> given().get(ServicePorts.managementUrl("/q/health/ready")).statusCode() == 200);
        for (RecordRevenueRequest request : requests) {
            assertThat(entryCount(request)).isZero();
        }
        for (Object outcome : SimultaneousRevenues.record(payout, requests)) {
            assertThat(outcome).isInstanceOf(RecordRevenueResponse.class);
        }
        for (RecordRevenueRequest request : requests) {
            assertThat(entryCount(request)).isEqualTo(3);
        }
    }

    private int entryCount(RecordRevenueRequest request) {
        return payout.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                .setRequestId(request.getRequestId()).build()).getEntriesCount();
    }
}
