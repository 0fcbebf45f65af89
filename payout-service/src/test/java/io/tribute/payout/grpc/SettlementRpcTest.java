package io.tribute.payout.grpc;

import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.GetSettlementRequest;
import io.tribute.payout.v1.PayoutServiceGrpc.PayoutServiceBlockingStub;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementState;
import io.tribute.testing.PostgresResource;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class SettlementRpcTest {

    private static final String DOMAIN = "payout.tribute.io";
    private static final String ETH = "eip155:31337/slip44:60";

    @GrpcClient("payout")
    PayoutServiceBlockingStub payout;

    @Test
    void settlementWithNothingAccruedIsSettledAtOnceAndReadBack() {
        Settlement created = payout.createSettlement(settle(UUID.randomUUID(), ETH, "1000")).getSettlement();

        assertThat(created.getState()).isEqualTo(SettlementState.SETTLEMENT_STATE_SETTLED);
        assertThat(created.getCurrency()).isEqualTo(ETH);
        assertThat(created.getChainId()).isEqualTo("eip155:31337");
        assertThat(created.getMinimumAmount()).isEqualTo("1000");
        assertThat(created.getTotalAmount()).isEqualTo("0");
        assertThat(created.getBatchCount()).isZero();
        assertThat(created.getMaxRecipientsPerBatch()).isEqualTo(500);
        assertThat(created.hasFinishedAt()).isTrue();

        Settlement read = payout.getSettlement(GetSettlementRequest.newBuilder()
                .setSettlementId(created.getId()).build()).getSettlement();
        assertThat(read).isEqualTo(created);
    }

    @Test
    void replayedRequestReturnsFirstResult() {
        CreateSettlementRequest request = settle(UUID.randomUUID(), ETH, "0");

        assertThat(payout.createSettlement(request)).isEqualTo(payout.createSettlement(request));
    }

    @Test
    void amountsBeyondTwoToThe256AreRefused() {
        String twoTo256 = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
        assertThat(violatedFields(() -> payout.createSettlement(settle(UUID.randomUUID(), ETH, twoTo256)), DOMAIN))
                .containsExactly("minimum_amount");
        assertThat(violatedFields(() -> payout.createSettlement(settle(UUID.randomUUID(), ETH, "1.5")), DOMAIN))
                .containsExactly("minimum_amount");
    }

    @Test
    void malformedRequestListsEveryViolation() {
        CreateSettlementRequest request = CreateSettlementRequest.newBuilder()
                .setRequestId("nope")
                .setCurrency("ether")
                .setMinimumAmount("-1")
                .setMaxRecipientsPerBatch(2_001)
                .build();

        assertThat(violatedFields(() -> payout.createSettlement(request), DOMAIN)).containsExactly(
                "request_id", "currency", "minimum_amount", "max_recipients_per_batch");
    }

    @Test
    void currencyThisDeploymentDoesNotSettleIsAFailedPrecondition() {
        assertFails(() -> payout.createSettlement(settle(UUID.randomUUID(), "eip155:1/slip44:60", "0")),
                Status.Code.FAILED_PRECONDITION, DOMAIN, "CURRENCY_NOT_SUPPORTED");
    }

    @Test
    void unknownSettlementIsNotFound() {
        assertFails(() -> payout.getSettlement(GetSettlementRequest.newBuilder()
                        .setSettlementId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "SETTLEMENT_NOT_FOUND");
    }

    private static CreateSettlementRequest settle(UUID requestId, String currency, String minimum) {
        return CreateSettlementRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setCurrency(currency)
                .setMinimumAmount(minimum)
                .build();
    }
}
