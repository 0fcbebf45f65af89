package io.tribute.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** kustomize and kubeconform, installed by deploy/tools/install into .tribute/tools/bin on first use. */
final class Tools {

    /** The oldest Kubernetes the manifests must run on; deploy/schemas holds its schemas. */
    static final String KUBERNETES_VERSION = "1.31.0";

    private static boolean installed;

    private Tools() {
    }

    record Result(int exitCode, String output) {
    }

    static synchronized Path bin() {
        Path bin = Repo.root().resolve(".tribute/tools/bin");
        if (!installed) {
            Result install = run(List.of("bash", Repo.deploy().resolve("tools/install").toString(), bin.toString()), null, 900);
            if (install.exitCode() != 0) {
                throw new IllegalStateException("deploy/tools/install failed:\n" + install.output());
            }
            installed = true;
        }
        return bin;
    }

    static Result kustomizeBuild(Path kustomization) {
        return run(List.of(bin().resolve("kustomize").toString(), "build", kustomization.toString()), null, 120);
    }

    /** kubeconform -strict against the repository's schemas only: never the network. */
    static Result kubeconform(String manifests) {
        Path schemas = Repo.deploy().resolve("schemas");
        return run(List.of(bin().resolve("kubeconform").toString(),
                "-strict", "-summary", "-output", "text",
                "-kubernetes-version", KUBERNETES_VERSION,
                "-schema-location", schemas.resolve("kubernetes").toString(),
                "-schema-location", schemas.resolve("crds") + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
                "-"), manifests, 120);
    }

    static Result run(List<String> command, String stdin, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            // Output is read to the end before waiting, so a full pipe cannot stall the process.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
