package io.tribute.cli.command;

import io.tribute.cli.ExitCodes;
import io.tribute.cli.TributeCli;
import io.tribute.cli.output.Formats;
import io.tribute.common.Ids;
import io.tribute.payout.v1.CreateSettlementRequest;
import io.tribute.payout.v1.CreateSettlementResponse;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementState;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tribute settle}: CreateSettlement (and optionally follow it). */
@Command(name = "settle", mixinStandardHelpOptions = true,
        description = {"Pay every contributor whose accrued balance reaches --minimum and who has a bound wallet, on-chain, "
                + "in batches. Prints the plan; --watch follows it until it is SETTLED or FAILED."})
public final class SettleCommand extends ServiceCommand {

    @Option(names = "--currency", paramLabel = "<CAIP-19>", defaultValue = "${env:TRIBUTE_CURRENCY:-eip155:31337/slip44:60}",
            description = "The currency to settle (default: ${DEFAULT-VALUE}).")
    String currency;

    @Option(names = "--minimum", paramLabel = "<base units>", defaultValue = "0",
            description = "Pay only balances of at least this many base units (default: ${DEFAULT-VALUE} = every non-zero balance).")
    String minimum;

    @Option(names = "--max-recipients-per-batch", paramLabel = "<n>", defaultValue = "0",
            description = "Recipients per batch; 0 = the service's default.")
    int maxRecipientsPerBatch;

    @Option(names = "--watch", description = "Follow the settlement until it is SETTLED or FAILED.")
    boolean watch;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "15m", converter = TributeCli.DurationConverter.class,
            description = "With --watch: stop watching after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--request-id", description = "Idempotency key (UUID); default: a new one. Reuse it to retry safely.")
    String requestId;

    @Override
    public Integer call() {
        CreateSettlementRequest request = CreateSettlementRequest.newBuilder()
                .setRequestId(requestId != null ? requestId : Ids.newId().toString())
                .setCurrency(currency).setMinimumAmount(minimum).setMaxRecipientsPerBatch(maxRecipientsPerBatch).build();
        CreateSettlementResponse response = clients().payout().createSettlement(request);
        Settlement settlement = response.getSettlement();
        output().print(response, () -> {
            output().line("settlement %s  %s  %d recipients in %d batches, total %s %s  request id %s", settlement.getId(),
                    Formats.name(settlement.getState(), "SETTLEMENT_STATE_"), settlement.getRecipientCount(),
                    settlement.getBatchCount(), settlement.getTotalAmount(), settlement.getCurrency(), request.getRequestId());
            output().line("  pays against log checkpoint: tree size %d, root %s", settlement.getCheckpoint().getTreeSize(),
                    settlement.getCheckpoint().getRootHash());
            if (settlement.getSkippedContributorCount() > 0) {
                output().line("  skipped %d contributors (%s): no suitable wallet or over the recipient limit",
                        settlement.getSkippedContributorCount(), settlement.getSkippedAmount());
            }
        });
        if (!watch) {
            return ExitCodes.OK;
        }
        Settlement last = SettlementCommand.watch(clients(), settlement.getId(), timeout, output());
        return last != null && last.getState() == SettlementState.SETTLEMENT_STATE_SETTLED ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
