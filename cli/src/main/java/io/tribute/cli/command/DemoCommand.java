package io.tribute.cli.command;

import io.tribute.cli.ExitCodes;
import io.tribute.cli.TributeCli;
import io.tribute.cli.demo.DemoResult;
import io.tribute.cli.demo.DemoStory;
import io.tribute.registry.v1.Verdict;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tribute demo}: the whole story against a running suite. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Tell Tribute's story end to end against a running suite (start it with ./suite run): contributors "
                + "and their wallets, a dataset, an architecture, a base model and its finetune, a prompt, a reviewed output "
                + "with influence scores, its attribution and explanation, revenue, an on-chain settlement, an inclusion "
                + "proof checked against the signed checkpoint, and a tampered file caught.",
            "Each run uses fresh contributors and content, so it can be repeated. The story is always printed as text. "
                    + "Exits 0 when every check passed, 6 when a check failed, 5 when the suite is not running."},
        footerHeading = "%nEnvironment:%n",
        footer = {"TRIBUTE_CHAIN_RPC, TRIBUTE_CHAIN_ID, TRIBUTE_CURRENCY and TRIBUTE_LOG_KEY set the defaults of the options."})
public final class DemoCommand extends ServiceCommand {

    @Option(names = "--chain-rpc", paramLabel = "<url>", defaultValue = "${env:TRIBUTE_CHAIN_RPC:-http://localhost:8545}",
            description = "The chain's JSON-RPC endpoint, to read balances back (default: ${DEFAULT-VALUE}, the launcher's anvil).")
    URI chainRpc;

    @Option(names = "--chain-id", paramLabel = "<n>", defaultValue = "${env:TRIBUTE_CHAIN_ID:-31337}",
            description = "The EVM chain id of the contributors' wallets (default: ${DEFAULT-VALUE}).")
    long chainId;

    @Option(names = "--currency", paramLabel = "<CAIP-19>", defaultValue = "${env:TRIBUTE_CURRENCY:-eip155:31337/slip44:60}",
            description = "The currency of the revenue and the settlement (default: ${DEFAULT-VALUE}).")
    String currency;

    @Option(names = "--revenue", paramLabel = "<base units>", defaultValue = "1000000000000000000",
            description = "The revenue the output earns (default: ${DEFAULT-VALUE}, 1 ether in wei).")
    BigInteger revenue;

    @Option(names = "--settlement-timeout", paramLabel = "<duration>", defaultValue = "2m",
            converter = TributeCli.DurationConverter.class,
            description = "How long to follow the settlement before moving on (default: ${DEFAULT-VALUE}).")
    Duration settlementTimeout;

    @Option(names = "--log-key", paramLabel = "<verifier key>", defaultValue = "${env:TRIBUTE_LOG_KEY}",
            description = "The transparency log's C2SP verifier key, pinned out of band; default: the key the service publishes.")
    String logKey;

    @Option(names = "--work-dir", paramLabel = "<path>", defaultValue = "${sys:java.io.tmpdir}/tribute-demo",
            description = "Where the demo writes the files it verifies (default: ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Override
    public Integer call() {
        DemoResult result = new DemoStory(clients(), new DemoStory.Settings(chainId, currency, revenue, chainRpc,
                settlementTimeout, logKey, workDirectory), cli().out()).run();
        boolean passed = result.shareSumPpm() == 1_000_000
                && result.originalVerdict() == Verdict.VERDICT_AUTHENTIC
                && result.tamperedVerdict() == Verdict.VERDICT_MODIFIED
                && result.inclusionProofVerified() && result.checkpointSignatureVerified()
                && (!result.settlementSkipReason().isEmpty() || result.chainBalancesMatchLedger());
        return passed ? ExitCodes.OK : ExitCodes.NOT_VERIFIED;
    }
}
