package io.tribute.payout.bench;

import io.tribute.payout.chain.ChainClient;
import io.tribute.payout.chain.ChainReceipt;
import io.tribute.payout.chain.LocalChain;
import io.tribute.payout.chain.PaymentBatch;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Gas per recipient of TributePayouts batches on a fresh anvil (ERC-20 first-time and repeat recipients, native
 * ether), each beside one plain transfer per recipient measured in the same run. Run by bench/payout/run.
 */
public final class GasBenchmark {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger AMOUNT = BigInteger.valueOf(1_000_000_007L);

    private GasBenchmark() {
    }

    public static void main(String[] args) {
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int plainTransfers = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (LocalChain chain = LocalChain.start()) {
            ChainClient payer = chain.payer;
            List<String> fresh = addresses(recipients);
            long tokenFirst = pay(chain, chain.token, fresh);
            long tokenRepeat = pay(chain, chain.token, fresh);
            long nativeFirst = pay(chain, null, addresses(recipients));

            List<String> plain = addresses(plainTransfers);
            long plainTokenFirst = 0;
            long plainTokenRepeat = 0;
            long plainNative = 0;
            for (String to : plain) {
                plainTokenFirst += gas(payer, payer.signTokenTransfer(chain.token, to, AMOUNT, payer.pendingNonce(),
                        payer.currentFees()));
            }
            for (String to : plain) {
                plainTokenRepeat += gas(payer, payer.signTokenTransfer(chain.token, to, AMOUNT, payer.pendingNonce(),
                        payer.currentFees()));
            }
            for (String to : addresses(plainTransfers)) {
                plainNative += gas(payer, payer.signNativeTransfer(to, AMOUNT, payer.pendingNonce(),
                        payer.currentFees()));
            }
            System.out.printf("recipients per batch: %d; plain transfers measured: %d%n", recipients, plainTransfers);
            System.out.printf("%-28s %14s %22s%n", "case", "batch gas/recipient", "plain transfer gas");
            System.out.printf("%-28s %14d %22d%n", "ERC-20 first-time", tokenFirst / recipients,
                    plainTokenFirst / plainTransfers);
            System.out.printf("%-28s %14d %22d%n", "ERC-20 repeat", tokenRepeat / recipients,
                    plainTokenRepeat / plainTransfers);
            System.out.printf("%-28s %14d %22d%n", "native ether (first-time)", nativeFirst / recipients,
                    plainNative / plainTransfers);
        }
    }

    private static long pay(LocalChain chain, String token, List<String> recipients) {
        List<BigInteger> amounts = recipients.stream().map(recipient -> AMOUNT).toList();
        PaymentBatch batch = new PaymentBatch(random32(), random32(), token, recipients, amounts);
        ChainClient payer = chain.payer;
        BigInteger gas = payer.estimatePayment(chain.payouts, batch);
        ChainReceipt receipt = LocalChain.mined(payer, payer.signPayment(chain.payouts, batch, payer.pendingNonce(),
                gas.multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN), payer.currentFees()));
        return receipt.gasUsed().longValueExact();
    }

    private static long gas(ChainClient payer, io.tribute.payout.chain.SignedTransaction transaction) {
        return LocalChain.mined(payer, transaction).gasUsed().longValueExact();
    }

    private static List<String> addresses(int count) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[20];
            RANDOM.nextBytes(bytes);
            addresses.add("0x" + HexFormat.of().formatHex(bytes));
        }
        return addresses;
    }

    private static String random32() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
