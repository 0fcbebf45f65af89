package io.tribute.payout.service;

import io.quarkus.logging.Log;
import io.tribute.payout.chain.ChainClient;
import io.tribute.payout.chain.PaymentBatch;
import io.tribute.payout.repository.BatchRepository.Recipient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sizes a settlement's batches from the node's gas estimates (eth_estimateGas of the real payment): each batch stays
 * under the gas budget (the per-transaction cap × its utilization); the configured per-recipient constant is only the
 * fallback when the node cannot estimate (no contract or key, node down, a payment that would revert).
 */
@ApplicationScoped
public class BatchGasPlanner {

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    /**
     * Planned batches are held to this share of the budget, in ppm: the settler estimates each batch again when it
     * signs it (another batch id, other amounts) and fails one over the budget.
     */
    private static final long HEADROOM_PPM = 980_000;
    /** A batch id whose calldata costs the most (no zero bytes), so the real one never costs more. */
    private static final String PLANNING_BATCH_ID = "0x" + "ff".repeat(32);

    private final ChainClient chain;
    private final PayoutSettings settings;

    public BatchGasPlanner(ChainClient chain, PayoutSettings settings) {
        this.chain = chain;
        this.settings = settings;
    }

    /** How the recipients, in this order, are cut into batches; blocking (it calls the chain's node). */
    public BatchPlan plan(String currency, String checkpointRoot, List<Recipient> recipients, int requested) {
        int fallback = fallbackRecipientsPerBatch(requested);
        if (recipients.isEmpty() || settings.contractAddress().isEmpty()) {
            return BatchPlan.uniform(fallback);
        }
        try {
            return estimated(settings.contractAddress().get(), Settler.tokenOf(currency), checkpointRoot, recipients,
                    requested);
        } catch (RuntimeException e) {
            Log.warnf("batch planning falls back to %d gas per recipient: the node could not estimate: %s",
                    settings.planningGasPerRecipient(), e.getMessage());
            return BatchPlan.uniform(fallback);
        }
    }

    /** The plan by the planning constant alone (for recipients that appeared after the estimates were made). */
    public BatchPlan fallbackPlan(int requested) {
        return BatchPlan.uniform(fallbackRecipientsPerBatch(requested));
    }

    private BatchPlan estimated(String contract, String token, String checkpointRoot, List<Recipient> recipients,
            int requested) {
        BigInteger budget = budget().multiply(BigInteger.valueOf(HEADROOM_PPM)).divide(MILLION);
        BigInteger fixed = BigInteger.valueOf(settings.planningGasPerBatch());
        List<Integer> sizes = new ArrayList<>();
        BigInteger worstPerRecipient = BigInteger.ONE;
        int size = requested;
        for (int from = 0; from < recipients.size(); ) {
            size = Math.max(1, Math.min(size, Math.min(requested, recipients.size() - from)));
            BigInteger estimate = chain.estimatePayment(contract,
                    payment(token, checkpointRoot, recipients.subList(from, from + size)));
            BigInteger perRecipient = estimate.subtract(fixed).max(BigInteger.ONE)
                    .add(BigInteger.valueOf(size - 1)).divide(BigInteger.valueOf(size));
            if (estimate.compareTo(budget) > 0) {
                if (size == 1) {
                    throw new IllegalStateException("one recipient's payment alone needs " + estimate + " gas");
                }
                size = Math.min(size - 1, fitting(budget, fixed, perRecipient));
                continue;
            }
            worstPerRecipient = worstPerRecipient.max(perRecipient);
            sizes.add(size);
            from += size;
            // The next batch starts from what this one's cost per recipient allows.
            size = fitting(budget, fixed, perRecipient);
        }
        return new BatchPlan(recipients.stream().map(Recipient::contributorId).toList(), sizes,
                Math.max(1, Math.min(requested, fitting(budget, fixed, worstPerRecipient))));
    }

    /** Recipients at {@code perRecipient} gas that fit the budget after the batch's fixed part. */
    private static int fitting(BigInteger budget, BigInteger fixed, BigInteger perRecipient) {
        long fit = budget.subtract(fixed).divide(perRecipient).longValueExact();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, fit));
    }

    private BigInteger budget() {
        return BigInteger.valueOf(settings.gasCap()).multiply(BigInteger.valueOf(settings.gasCapUtilizationPpm()))
                .divide(MILLION);
    }

    /** The planning constant's batch size: what fits the budget at planning-gas-per-recipient. */
    private int fallbackRecipientsPerBatch(int requested) {
        long byGas = budget().subtract(BigInteger.valueOf(settings.planningGasPerBatch()))
                .divide(BigInteger.valueOf(settings.planningGasPerRecipient())).longValueExact();
        return (int) Math.max(1, Math.min(requested, byGas));
    }

    private static PaymentBatch payment(String token, String checkpointRoot, List<Recipient> recipients) {
        return new PaymentBatch(PLANNING_BATCH_ID, checkpointRoot, token,
                recipients.stream().map(recipient -> recipient.payoutAccount()
                        .substring(recipient.payoutAccount().lastIndexOf(':') + 1)).toList(),
                recipients.stream().map(Recipient::amount).toList());
    }

    /**
     * Batch sizes for the recipients they were estimated for, and a size that fits the costliest recipient seen
     * (used if the recipients changed between estimating and planning; the settler estimates every batch again).
     */
    public record BatchPlan(List<UUID> estimatedFor, List<Integer> sizes, int uniformSize) {

        static BatchPlan uniform(int size) {
            return new BatchPlan(List.of(), List.of(), size);
        }

        /** The recipients cut into batches. */
        public List<List<Recipient>> partition(List<Recipient> recipients) {
            List<List<Recipient>> batches = new ArrayList<>();
            boolean estimated = !sizes.isEmpty()
                    && recipients.stream().map(Recipient::contributorId).toList().equals(estimatedFor);
            int from = 0;
            for (int index = 0; from < recipients.size(); index++) {
                int size = estimated ? sizes.get(index) : uniformSize;
                batches.add(recipients.subList(from, Math.min(recipients.size(), from + size)));
                from += size;
            }
            return batches;
        }
    }
}
