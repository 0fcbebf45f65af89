package io.tribute.cli.command;

import io.tribute.cli.ExitCodes;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceRequest;
import io.tribute.payout.v1.GetBalanceResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tribute balance <contributor>}: GetBalance. */
@Command(name = "balance", mixinStandardHelpOptions = true,
        description = "Show a contributor's balances per currency: accrued, in settlement, paid (base units).")
public final class BalanceCommand extends ServiceCommand {

    @Parameters(paramLabel = "<contributor id>", description = "The contributor's id.")
    String contributorId;

    @Option(names = "--currency", paramLabel = "<CAIP-19>", description = "Only this currency (default: every currency).")
    String currency = "";

    @Override
    public Integer call() {
        GetBalanceResponse response = clients().payout().getBalance(GetBalanceRequest.newBuilder()
                .setContributorId(contributorId).setCurrency(currency).build());
        output().print(response, () -> {
            if (response.getBalancesCount() == 0) {
                output().line("no balances: %s has earned nothing yet", contributorId);
            }
            for (CurrencyBalance balance : response.getBalancesList()) {
                output().line("%s  accrued %s  in settlement %s  paid %s", balance.getCurrency(), balance.getAccrued(),
                        balance.getInSettlement(), balance.getPaid());
            }
        });
        return ExitCodes.OK;
    }
}
