package io.tribute.cli;

import io.grpc.StatusRuntimeException;
import io.tribute.cli.client.ServiceClients;
import io.tribute.cli.command.AttributionCommand;
import io.tribute.cli.command.BalanceCommand;
import io.tribute.cli.command.DemoCommand;
import io.tribute.cli.command.RegisterCommand;
import io.tribute.cli.command.RevenueCommand;
import io.tribute.cli.command.SettleCommand;
import io.tribute.cli.command.SettlementCommand;
import io.tribute.cli.command.VerifyCommand;
import io.tribute.cli.command.WalletCommand;
import io.tribute.cli.output.ErrorReport;
import io.tribute.cli.output.Output;
import io.tribute.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** {@code tribute}: the operator's command line for the Tribute services. */
@Command(name = "tribute",
        mixinStandardHelpOptions = true,
        versionProvider = TributeCli.Version.class,
        description = "Operate Tribute: register contributions, verify content, show attributions, record revenue "
                + "and settle it on-chain. Run 'tribute demo' for the whole story against a running suite.",
        subcommands = {RegisterCommand.class, VerifyCommand.class, AttributionCommand.class, RevenueCommand.class,
            SettleCommand.class, SettlementCommand.class, BalanceCommand.class, WalletCommand.class,
            DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:any other failure (the error is printed)",
            "2:usage error: unknown command or option, missing or malformed argument",
            "3:not found: the contributor, asset, attribution or settlement does not exist",
            "4:invalid argument: the service refused the request; each invalid field is printed",
            "5:unavailable: a service (or the chain) did not answer within the deadline",
            "6:not verified: content is not AUTHENTIC, or a proof or signature did not verify",
        },
        footerHeading = "%nEnvironment:%n",
        footer = {"TRIBUTE_REGISTRY, TRIBUTE_ATTRIBUTION, TRIBUTE_PAYOUT (host:port) set the default endpoints."})
public final class TributeCli {

    @Option(names = "--registry", scope = ScopeType.INHERIT, paramLabel = "<host:port>",
            defaultValue = "${env:TRIBUTE_REGISTRY:-localhost:8081}",
            description = "registry-service's gRPC endpoint (default: ${DEFAULT-VALUE}).")
    String registry;

    @Option(names = "--attribution", scope = ScopeType.INHERIT, paramLabel = "<host:port>",
            defaultValue = "${env:TRIBUTE_ATTRIBUTION:-localhost:8082}",
            description = "attribution-service's gRPC endpoint (default: ${DEFAULT-VALUE}).")
    String attribution;

    @Option(names = "--payout", scope = ScopeType.INHERIT, paramLabel = "<host:port>",
            defaultValue = "${env:TRIBUTE_PAYOUT:-localhost:8083}",
            description = "payout-service's gRPC endpoint (default: ${DEFAULT-VALUE}).")
    String payout;

    @Option(names = "--deadline", scope = ScopeType.INHERIT, paramLabel = "<duration>", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Deadline of each call, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "<format>", defaultValue = "human",
            description = "human (readable text) or json (the responses as proto JSON) (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    private PrintWriter out;
    private ServiceClients clients;

    /** Runs {@code tribute args} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code tribute args} printing to {@code out} and {@code err}; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        TributeCli cli = new TributeCli();
        cli.out = out;
        try {
            return commandLine(cli, out, err).execute(args);
        } finally {
            if (cli.clients != null) {
                cli.clients.close();
            }
        }
    }

    static CommandLine commandLine(TributeCli cli, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> report(exception, err));
        return commandLine;
    }

    /** Prints a failure readably (never a stack trace) and answers its exit code. */
    static int report(Exception exception, PrintWriter err) {
        int exitCode;
        if (exception instanceof StatusRuntimeException status) {
            ErrorReport.of(status).lines().forEach(err::println);
            exitCode = ExitCodes.of(status.getStatus().getCode());
        } else if (exception instanceof CliFailure failure) {
            err.println("error: " + failure.getMessage());
            exitCode = failure.exitCode();
        } else {
            err.println("error: " + (exception.getMessage() != null ? exception.getMessage() : exception.toString()));
            exitCode = ExitCodes.FAILURE;
        }
        err.flush();
        return exitCode;
    }

    /** The clients of the three services at the endpoints given (opened on first use, closed at exit). */
    public ServiceClients clients() {
        if (clients == null) {
            clients = new ServiceClients(registry, attribution, payout, deadline);
        }
        return clients;
    }

    public Output output() {
        return new Output(out, output);
    }

    public PrintWriter out() {
        return out;
    }

    String registryTarget() {
        return registry;
    }

    Duration deadline() {
        return deadline;
    }

    OutputFormat outputFormat() {
        return output;
    }

    /** Parses 500ms, 10s, 2m, 1h (or ISO-8601 PT10S). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.strip();
            try {
                if (text.startsWith("P") || text.startsWith("p")) {
                    return Duration.parse(text);
                }
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                }
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 2m)");
                };
            } catch (RuntimeException e) {
                if (e instanceof CommandLine.TypeConversionException conversion) {
                    throw conversion;
                }
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 2m)");
            }
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TributeCli.class.getPackage().getImplementationVersion();
            return new String[] {"tribute " + (version != null ? version : "(development build)")};
        }
    }
}
