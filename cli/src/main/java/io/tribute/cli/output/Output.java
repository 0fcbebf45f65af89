package io.tribute.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Where a command prints: human lines, or one proto JSON document per response in {@code json} mode. */
public final class Output {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private final PrintWriter out;
    private final OutputFormat format;

    public Output(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    public boolean json() {
        return format == OutputFormat.json;
    }

    /** Prints {@code message} as proto JSON in json mode; otherwise runs {@code human}. */
    public void print(MessageOrBuilder message, Runnable human) {
        if (json()) {
            out.println(toJson(message));
        } else {
            human.run();
        }
        out.flush();
    }

    /** A human line (ignored in json mode, where only responses are printed). */
    public void line(String format, Object... arguments) {
        if (!json()) {
            out.println(arguments.length == 0 ? format : String.format(format, arguments));
            out.flush();
        }
    }

    public static String toJson(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }
}
