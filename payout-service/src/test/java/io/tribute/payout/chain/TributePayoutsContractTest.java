package io.tribute.payout.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** TributePayouts, compiled by the build, deployed and exercised on a real anvil. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TributePayoutsContractTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(2_000_000);

    private LocalChain chain;
    private ChainClient payer;

    @BeforeAll
    void startChain() {
        chain = LocalChain.start();
        payer = chain.payer;
    }

    @AfterAll
    void stopChain() {
        chain.close();
    }

    @Test
    void tokenBatchPaysEachRecipientItsAmountPullingTheTotalOnce() {
        PaymentBatch batch = batch(chain.token, 5);
        BigInteger payerBefore = payer.tokenBalance(chain.token, payer.payerAddress());

        ChainReceipt receipt = pay(batch);

        assertThat(receipt.succeeded()).isTrue();
        for (int i = 0; i < batch.recipients().size(); i++) {
            assertThat(payer.tokenBalance(chain.token, batch.recipients().get(i))).isEqualTo(batch.amounts().get(i));
        }
        assertThat(payer.tokenBalance(chain.token, payer.payerAddress())).isEqualTo(payerBefore.subtract(batch.total()));
        assertThat(payer.tokenBalance(chain.token, chain.payouts)).isZero();
    }

    @Test
    void nativeBatchPaysEachRecipientItsAmount() {
        PaymentBatch batch = batch(null, 4);

        ChainReceipt receipt = pay(batch);

        assertThat(receipt.succeeded()).isTrue();
        for (int i = 0; i < batch.recipients().size(); i++) {
            assertThat(payer.nativeBalance(batch.recipients().get(i))).isEqualTo(batch.amounts().get(i));
        }
        assertThat(payer.nativeBalance(chain.payouts)).isZero();
    }

    @Test
    void batchEventCarriesTheCheckpointRootAndTheRecipientsDigest() {
        PaymentBatch batch = batch(chain.token, 3);

        ChainReceipt receipt = pay(batch);

        assertThat(receipt.batchesPaid()).singleElement().satisfies(event -> {
            assertThat(event.batchId()).isEqualTo(batch.batchId());
            assertThat(event.checkpointRoot()).isEqualTo(batch.checkpointRoot());
            assertThat(event.token()).isEqualToIgnoringCase(chain.token);
            assertThat(event.payer()).isEqualToIgnoringCase(payer.payerAddress());
            assertThat(event.recipientCount()).isEqualTo(3);
            assertThat(event.totalAmount()).isEqualTo(batch.total());
            assertThat(event.recipientsDigest())
                    .isEqualTo(ChainClient.recipientsDigest(batch.recipients(), batch.amounts()));
            assertThat(event.creditedCount()).isZero();
        });
        assertThat(payer.checkpointRootOf(chain.payouts, batch.batchId())).isEqualTo(batch.checkpointRoot());
        assertThat(payer.batchExecuted(chain.payouts, batch.batchId())).isTrue();
        assertThat(payer.batchPaidEvents(chain.payouts, receipt.blockNumber(), receipt.blockNumber()))
                .extracting(BatchPaidEvent::batchId).containsExactly(batch.batchId());
    }

    @Test
    void replayedBatchIdIsRefusedAndPaysNothing() {
        PaymentBatch batch = batch(chain.token, 2);
        pay(batch);
        PaymentBatch replay = new PaymentBatch(batch.batchId(), batch.checkpointRoot(), chain.token,
                batch.recipients(), batch.amounts());

        assertThatThrownBy(() -> payer.estimatePayment(chain.payouts, replay))
                .isInstanceOf(ChainRpcException.class).hasMessageContaining("revert");
        ChainReceipt receipt = broadcast(payer, payer.signPayment(chain.payouts, replay, payer.pendingNonce(),
                GAS_LIMIT, payer.currentFees()));

        assertThat(receipt.succeeded()).isFalse();
        assertThat(receipt.batchesPaid()).isEmpty();
        for (int i = 0; i < batch.recipients().size(); i++) {
            assertThat(payer.tokenBalance(chain.token, batch.recipients().get(i))).isEqualTo(batch.amounts().get(i));
        }
    }

    @Test
    void onlyThePayerRoleMayPay() {
        try (ChainClient stranger = new ChainClient(chain.anvil.rpcUrl(), randomKey(), Duration.ofSeconds(10))) {
            chain.anvil.setBalance(stranger.payerAddress(), BigInteger.TEN.pow(20));
            PaymentBatch batch = batch(null, 2);

            assertThat(stranger.isPayer(chain.payouts, stranger.payerAddress())).isFalse();
            assertThatThrownBy(() -> stranger.estimatePayment(chain.payouts, batch))
                    .isInstanceOf(ChainRpcException.class);
            ChainReceipt receipt = broadcast(stranger, stranger.signPayment(chain.payouts, batch,
                    stranger.pendingNonce(), GAS_LIMIT, stranger.currentFees()));

            assertThat(receipt.succeeded()).isFalse();
            assertThat(payer.batchExecuted(chain.payouts, batch.batchId())).isFalse();
            assertThat(payer.nativeBalance(batch.recipients().get(0))).isZero();
        }
    }

    @Test
    void recipientRejectingEtherIsCreditedAndCanWithdraw() {
        String rejecting = LocalChain.deploy(payer, "RejectingRecipient", List.of());
        String plain = randomAddress();
        BigInteger owed = BigInteger.valueOf(7_000_000_000L);
        PaymentBatch batch = new PaymentBatch(randomBytes32(), randomBytes32(), null, List.of(rejecting, plain),
                List.of(owed, BigInteger.valueOf(3)));

        ChainReceipt receipt = pay(batch);

        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.batchesPaid()).singleElement()
                .satisfies(event -> assertThat(event.creditedCount()).isEqualTo(1));
        assertThat(payer.nativeBalance(plain)).isEqualTo(3);
        assertThat(payer.nativeBalance(rejecting)).isZero();
        assertThat(payer.creditOf(chain.payouts, rejecting)).isEqualTo(owed);

        String collector = randomAddress();
        LocalChain.mined(payer, payer.signCall(rejecting, "collect",
                List.of(chain.payouts, collector),
                payer.pendingNonce(), payer.currentFees()));

        assertThat(payer.nativeBalance(collector)).isEqualTo(owed);
        assertThat(payer.creditOf(chain.payouts, rejecting)).isZero();
    }

    @Test
    void anvilRestartedOnTheSamePortKeepsTheChain() {
        PaymentBatch batch = batch(chain.token, 2);
        pay(batch);
        long head = chain.anvil.blockNumber();

        chain.anvil.stop();
        assertThatThrownBy(() -> payer.blockNumber()).isInstanceOf(ChainUnavailableException.class);
        chain.anvil.start();

        assertThat(chain.anvil.blockNumber()).isGreaterThanOrEqualTo(head);
        assertThat(payer.batchExecuted(chain.payouts, batch.batchId())).isTrue();
        assertThat(payer.tokenBalance(chain.token, batch.recipients().get(0))).isEqualTo(batch.amounts().get(0));
        assertThat(pay(batch(chain.token, 1)).succeeded()).isTrue();
    }

    private ChainReceipt pay(PaymentBatch batch) {
        BigInteger gas = payer.estimatePayment(chain.payouts, batch);
        return LocalChain.mined(payer, payer.signPayment(chain.payouts, batch, payer.pendingNonce(), gas,
                payer.currentFees()));
    }

    private static ChainReceipt broadcast(ChainClient client, SignedTransaction transaction) {
        return LocalChain.included(client, transaction);
    }

    private static PaymentBatch batch(String token, int size) {
        List<String> recipients = new ArrayList<>();
        List<BigInteger> amounts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            recipients.add(randomAddress());
            amounts.add(BigInteger.valueOf(1 + RANDOM.nextInt(1_000_000_000)));
        }
        return new PaymentBatch(randomBytes32(), randomBytes32(), token, recipients, amounts);
    }

    static String randomAddress() {
        return "0x" + HexFormat.of().formatHex(randomBytes(20));
    }

    static String randomBytes32() {
        return "0x" + HexFormat.of().formatHex(randomBytes(32));
    }

    private static String randomKey() {
        return randomBytes32();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
