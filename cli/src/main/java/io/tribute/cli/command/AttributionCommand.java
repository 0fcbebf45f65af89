package io.tribute.cli.command;

import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.attribution.v1.GetAttributionResponse;
import io.tribute.cli.ExitCodes;
import io.tribute.cli.output.Formats;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tribute attribution show}. */
@Command(name = "attribution", description = "Show attributions.", subcommands = AttributionCommand.ShowCommand.class)
public final class AttributionCommand {

    private AttributionCommand() {
    }

    /** {@code tribute attribution show <id> | --output-sha256 <hex>}: GetAttribution with its explanation. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one attribution: each contributor's share of the output, and the lineage paths that explain it.")
    static final class ShowCommand extends ServiceCommand {

        @ArgGroup(multiplicity = "1")
        Key key;

        @Option(names = "--evidence", description = "Include the influence evidence (JSON output only).")
        boolean evidence;

        /** Which attribution: exactly one of its id and its output hash. */
        static final class Key {
            @Parameters(paramLabel = "<attribution id>", description = "The attribution's id.")
            String attributionId;

            @Option(names = "--output-sha256", paramLabel = "<hex>", description = "The attributed output's content hash.")
            String outputSha256;
        }

        @Override
        public Integer call() {
            GetAttributionRequest.Builder request = GetAttributionRequest.newBuilder().setIncludeEvidence(evidence);
            if (key.attributionId != null) {
                request.setAttributionId(key.attributionId);
            } else {
                request.setOutputSha256(key.outputSha256);
            }
            GetAttributionResponse response = clients().attribution().getAttribution(request.build());
            output().print(response, () -> Formats.attribution(response.getAttribution(), Function.identity(),
                    Function.identity()).forEach(line -> output().line(line)));
            return ExitCodes.OK;
        }
    }
}
