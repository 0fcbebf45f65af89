package io.tribute.cli.command;

import io.tribute.cli.ExitCodes;
import io.tribute.common.Ids;
import io.tribute.common.v1.Money;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tribute revenue record}. */
@Command(name = "revenue", description = "Record revenue.", subcommands = RevenueCommand.RecordCommand.class)
public final class RevenueCommand {

    private RevenueCommand() {
    }

    /** {@code tribute revenue record}: RecordRevenue. */
    @Command(name = "record", mixinStandardHelpOptions = true,
            description = "Record revenue earned by an attributed output; it is split exactly by the attribution's shares.")
    static final class RecordCommand extends ServiceCommand {

        @ArgGroup(multiplicity = "1")
        Key key;

        @Option(names = "--amount", required = true, paramLabel = "<base units>",
                description = "The amount in the currency's base units (wei for ether), a whole number.")
        String amount;

        @Option(names = "--currency", paramLabel = "<CAIP-19>", defaultValue = "${env:TRIBUTE_CURRENCY:-eip155:31337/slip44:60}",
                description = "The currency (default: ${DEFAULT-VALUE}, the local chain's ether).")
        String currency;

        @Option(names = "--external-ref", description = "The platform's reference for this revenue (e.g. an invoice id).")
        String externalRef = "";

        @Option(names = "--request-id", description = "Idempotency key (UUID); default: a new one. Reuse it to retry safely.")
        String requestId;

        /** Which attribution: exactly one of its id and its output hash. */
        static final class Key {
            @Option(names = "--attribution-id", paramLabel = "<id>", description = "The attribution's id.")
            String attributionId;

            @Option(names = "--output-sha256", paramLabel = "<hex>", description = "The attributed output's content hash.")
            String outputSha256;
        }

        @Override
        public Integer call() {
            RecordRevenueRequest.Builder request = RecordRevenueRequest.newBuilder()
                    .setRequestId(requestId != null ? requestId : Ids.newId().toString())
                    .setAmount(Money.newBuilder().setAsset(currency).setAmount(amount))
                    .setExternalRef(externalRef);
            if (key.attributionId != null) {
                request.setAttributionId(key.attributionId);
            } else {
                request.setOutputSha256(key.outputSha256);
            }
            RecordRevenueResponse response = clients().payout().recordRevenue(request.build());
            output().print(response, () -> {
                output().line("journal %s  %s %s  (fee %s)  request id %s", response.getJournal().getId(), amount, currency,
                        response.getFeeAmount(), request.getRequestId());
                for (JournalEntry entry : response.getJournal().getEntriesList()) {
                    output().line("  %-34s %-38s debit %s credit %s", entry.getAccount().getType().name()
                            .substring("ACCOUNT_TYPE_".length()), entry.getAccount().getContributorId(), entry.getDebit(),
                            entry.getCredit());
                }
            });
            return ExitCodes.OK;
        }
    }
}
