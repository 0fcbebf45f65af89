package io.tribute.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.payout.v1.GetBalanceResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Human and JSON output, and the readable formats of ppm. */
class OutputTest {

    private static final GetBalanceResponse BALANCE = GetBalanceResponse.newBuilder()
            .addBalances(CurrencyBalance.newBuilder().setCurrency("eip155:31337/slip44:60").setAccrued("250")
                    .setInSettlement("0").setPaid("1000000000000000000"))
            .build();

    @Test
    void jsonModePrintsTheResponseAsProtoJson() throws Exception {
        StringWriter printed = new StringWriter();

        new Output(new PrintWriter(printed), OutputFormat.json).print(BALANCE, () -> {
            throw new AssertionError("human output in json mode");
        });

        GetBalanceResponse.Builder parsed = GetBalanceResponse.newBuilder();
        JsonFormat.parser().merge(printed.toString(), parsed);
        assertThat(parsed.build()).isEqualTo(BALANCE);
        assertThat(printed.toString()).contains("\"paid\": \"1000000000000000000\"");
    }

    @Test
    void humanModeRunsTheHumanRenderingAndJsonModeSkipsHumanLines() {
        StringWriter human = new StringWriter();
        StringWriter json = new StringWriter();
        Output humanOutput = new Output(new PrintWriter(human), OutputFormat.human);
        Output jsonOutput = new Output(new PrintWriter(json), OutputFormat.json);

        humanOutput.print(BALANCE, () -> humanOutput.line("paid %s", "1"));
        jsonOutput.line("a human line");

        assertThat(human.toString()).isEqualTo("paid 1" + System.lineSeparator());
        assertThat(json.toString()).isEmpty();
    }

    @Test
    void ppmAndPptAreShownExactly() {
        assertThat(Formats.ppm(312_500)).isEqualTo("312,500 ppm (31.2500%)");
        assertThat(Formats.ppm(1)).isEqualTo("1 ppm (0.0001%)");
        assertThat(Formats.ppt(123_456_789)).isEqualTo("123.456789 ppm");
        assertThat(Formats.ppt(168_000_000_000L)).isEqualTo("168,000 ppm");
        assertThat(Formats.ppt(47_727_272_727L)).isEqualTo("47,727.272727 ppm");
    }
}
