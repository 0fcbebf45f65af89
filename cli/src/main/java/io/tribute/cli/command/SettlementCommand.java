package io.tribute.cli.command;

import io.tribute.cli.ExitCodes;
import io.tribute.cli.client.ServiceClients;
import io.tribute.cli.output.Formats;
import io.tribute.cli.output.Output;
import io.tribute.payout.v1.Batch;
import io.tribute.payout.v1.Settlement;
import io.tribute.payout.v1.SettlementEvent;
import io.tribute.payout.v1.SettlementState;
import io.tribute.payout.v1.WatchSettlementRequest;
import io.tribute.payout.v1.WatchSettlementResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tribute settlement watch <id>}. */
@Command(name = "settlement", description = "Follow settlements.", subcommands = SettlementCommand.WatchCommand.class)
public final class SettlementCommand {

    private SettlementCommand() {
    }

    /** {@code tribute settlement watch <id>}: WatchSettlement until the settlement is SETTLED or FAILED. */
    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Follow a settlement's batches until it is SETTLED or FAILED: transactions, blocks, confirmations.",
                "Exits 0 when SETTLED, 1 when FAILED."})
    static final class WatchCommand extends ServiceCommand {

        @Parameters(paramLabel = "<settlement id>", description = "The settlement's id.")
        String settlementId;

        @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "15m",
                converter = io.tribute.cli.TributeCli.DurationConverter.class,
                description = "Stop watching after this long (default: ${DEFAULT-VALUE}); the settlement goes on.")
        Duration timeout;

        @Override
        public Integer call() {
            Settlement last = watch(clients(), settlementId, timeout, output());
            return last != null && last.getState() == SettlementState.SETTLEMENT_STATE_SETTLED ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** Streams the settlement's events to {@code output} (one line each, or proto JSON) and returns its last state. */
    public static Settlement watch(ServiceClients clients, String settlementId, Duration timeout, Output output) {
        return watch(clients, settlementId, timeout, response -> output.print(response,
                () -> output.line(describe(response.getEvent()))));
    }

    /** Streams the settlement's events to {@code onEvent} and returns its last state (null if none came). */
    public static Settlement watch(ServiceClients clients, String settlementId, Duration timeout,
            Consumer<WatchSettlementResponse> onEvent) {
        Iterator<WatchSettlementResponse> events = clients.payoutStream(timeout)
                .watchSettlement(WatchSettlementRequest.newBuilder().setSettlementId(settlementId).build());
        Settlement last = null;
        while (events.hasNext()) {
            WatchSettlementResponse response = events.next();
            onEvent.accept(response);
            last = response.getSettlement();
        }
        return last;
    }

    /** One readable line per event. */
    public static String describe(SettlementEvent event) {
        StringBuilder line = new StringBuilder(String.format("#%d %-26s settlement %s", event.getSequence(),
                Formats.name(event.getType(), "SETTLEMENT_EVENT_TYPE_"),
                Formats.name(event.getSettlementState(), "SETTLEMENT_STATE_")));
        if (!event.getBatchId().isEmpty()) {
            line.append(", batch ").append(event.getBatchId(), 0, 10).append("… ")
                    .append(Formats.name(event.getBatchState(), "BATCH_STATE_"));
        }
        if (!event.getTxHash().isEmpty()) {
            line.append(", tx ").append(event.getTxHash());
        }
        if (!event.getDetail().isEmpty()) {
            line.append(" — ").append(event.getDetail());
        }
        return line.toString();
    }

    /** The batches of a settlement, one line each. */
    public static void describeBatches(Settlement settlement, Consumer<String> lines) {
        for (Batch batch : settlement.getBatchesList()) {
            lines.accept(String.format("  batch %d %s  %s  %d recipients, total %s  tx %s  block %d  %d confirmations",
                    batch.getIndex(), batch.getBatchId(), Formats.name(batch.getState(), "BATCH_STATE_"),
                    batch.getRecipientCount(), batch.getTotalAmount(), batch.getTxHash().isEmpty() ? "-" : batch.getTxHash(),
                    batch.getBlockNumber(), batch.getConfirmations()));
        }
    }
}
