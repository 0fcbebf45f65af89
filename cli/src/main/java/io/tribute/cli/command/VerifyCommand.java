package io.tribute.cli.command;

import com.google.protobuf.ByteString;
import io.tribute.cli.CliFailure;
import io.tribute.cli.ExitCodes;
import io.tribute.registry.v1.Verdict;
import io.tribute.registry.v1.VerifyContentRequest;
import io.tribute.registry.v1.VerifyContentResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tribute verify <file>}: VerifyContent. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a file against the registry: is it registered content, unchanged since its manifest was signed?",
            "Verdicts: AUTHENTIC, MODIFIED (the manifest is genuine but the content differs), UNREGISTERED, "
                    + "SIGNATURE_INVALID. Exits 0 only for AUTHENTIC, 6 otherwise."})
public final class VerifyCommand extends ServiceCommand {

    /** The largest content sent as bytes (tribute.registry.max-verify-content-bytes); larger files send their hash. */
    static final long MAX_CONTENT_BYTES = 4L * 1024 * 1024;

    @Parameters(paramLabel = "<file>", description = "The content to check.")
    Path file;

    @Option(names = "--manifest", paramLabel = "<file>",
            description = "A manifest (JWS compact serialization) claimed for the content, e.g. saved from GetManifest.")
    Path manifest;

    @Override
    public Integer call() {
        VerifyContentRequest.Builder request = VerifyContentRequest.newBuilder();
        if (RegisterCommand.sizeOf(existing(file)) <= MAX_CONTENT_BYTES) {
            request.setContent(ByteString.copyFrom(read(file)));
        } else {
            request.setSha256(RegisterCommand.sha256Of(file));
        }
        if (manifest != null) {
            request.setManifestJws(new String(read(existing(manifest)), StandardCharsets.UTF_8).strip());
        }
        VerifyContentResponse response = clients().registry().verifyContent(request.build());
        output().print(response, () -> {
            output().line("%s  %s", response.getVerdict().name().substring("VERDICT_".length()), response.getDetail());
            output().line("  content sha256  %s", response.getContentSha256());
            if (response.hasAsset()) {
                output().line("  asset           %s (%s, sha256 %s)", response.getAsset().getId(),
                        response.getAsset().getKind().name().substring("ASSET_KIND_".length()), response.getAsset().getSha256());
            }
            if (!response.getManifestKeyId().isEmpty()) {
                output().line("  signed by key   %s", response.getManifestKeyId());
            }
        });
        return response.getVerdict() == Verdict.VERDICT_AUTHENTIC ? ExitCodes.OK : ExitCodes.NOT_VERIFIED;
    }

    private static Path existing(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no such file: " + path);
        }
        return path;
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no such file: " + path);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot read " + path + ": " + e.getMessage());
        }
    }
}
