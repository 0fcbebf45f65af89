package io.tribute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line itself: parsing, help, exit codes and error rendering, with no service running. */
class TributeCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TributeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        assertThat(run("--help")).isEqualTo(ExitCodes.OK);

        assertThat(out.toString()).contains("register", "verify", "attribution", "revenue", "settle", "settlement",
                "balance", "wallet", "demo", "Exit codes:", "2   usage error", "3   not found", "4   invalid argument",
                "5   unavailable", "TRIBUTE_REGISTRY");
    }

    @Test
    void everyCommandHasHelp() {
        for (List<String> command : List.of(List.of("register", "contributor"), List.of("register", "asset"),
                List.of("verify"), List.of("attribution", "show"), List.of("revenue", "record"), List.of("settle"),
                List.of("settlement", "watch"), List.of("balance"), List.of("wallet", "bind"), List.of("demo"))) {
            out.getBuffer().setLength(0);
            String[] args = Stream.concat(command.stream(), Stream.of("--help"))
                    .toArray(String[]::new);

            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).as(String.join(" ", args)).contains("Usage: tribute " + String.join(" ", command));
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run("balance", "--bogus", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertThat(run("register", "contributor", "--name", "Ada")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--external-ref=<externalRef>'");
    }

    @Test
    void attributionShowNeedsExactlyOneKey() {
        assertThat(run("attribution", "show")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("attribution", "show", "some-id", "--output-sha256", "ab")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        TributeCli before = parse("--registry", "reg:1", "--deadline", "3s", "-o", "json", "balance", "c");
        TributeCli after = parse("balance", "c", "--registry", "reg:2", "--output", "json");

        assertThat(before.registryTarget()).isEqualTo("reg:1");
        assertThat(before.deadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(before.outputFormat()).hasToString("json");
        assertThat(after.registryTarget()).isEqualTo("reg:2");
        assertThat(after.outputFormat()).hasToString("json");
    }

    @Test
    void endpointsDefaultToTheLocalSuite() {
        TributeCli cli = parse("balance", "c");

        assertThat(cli.registryTarget()).isEqualTo(System.getenv().getOrDefault("TRIBUTE_REGISTRY", "localhost:8081"));
        assertThat(cli.deadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cli.outputFormat()).hasToString("human");
    }

    @Test
    void deadlineAcceptsHumanDurations() {
        TributeCli.DurationConverter converter = new TributeCli.DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> converter.convert("ten")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThat(run("--deadline", "ten", "balance", "c")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("'ten' is not a duration");
    }

    @Test
    void unreachableServiceExitsUnavailableWithoutAStackTrace() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int exitCode = run("--registry", "localhost:" + closedPort, "--deadline", "3s", "register", "contributor",
                "--name", "Ada", "--external-ref", "ada");

        assertThat(exitCode).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).startsWith("error: UNAVAILABLE").contains("./suite run")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void missingFileExitsNotFound() {
        assertThat(run("verify", "/no/such/file")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err.toString()).isEqualTo("error: no such file: /no/such/file" + System.lineSeparator());
    }

    @Test
    void severalCreatorsWithoutSharesAreAUsageError(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("model.bin"), "weights");

        assertThat(run("register", "asset", "--file", file.toString(), "--kind", "MODEL", "--creator", "a", "--creator", "b"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("each needs its share");
    }

    @Test
    void unknownKindAndEdgeAreUsageErrors(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("x"), "x");

        assertThat(run("register", "asset", "--file", file.toString(), "--kind", "PAINTING", "--creator", "a"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("unknown kind 'PAINTING'");
        assertThat(run("register", "asset", "--file", file.toString(), "--kind", "MODEL", "--creator", "a",
                "--parent", "p:GROWN_FROM")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("unknown edge type");
    }

    @Test
    void malformedKeyFileIsAUsageError(@TempDir Path directory) throws IOException {
        Path key = Files.writeString(directory.resolve("key"), "not a key");

        assertThat(run("wallet", "bind", "--contributor", "c", "--key-file", key.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("64 hex digits").doesNotContain("not a key");
    }

    private static TributeCli parse(String... args) {
        TributeCli cli = new TributeCli();
        TributeCli.commandLine(cli, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).parseArgs(args);
        return cli;
    }
}
