package io.tribute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kustomization builds, and what it builds is valid Kubernetes 1.31 (plus CloudNativePG), strictly and offline. */
class OverlayValidationTest {

    static Stream<Path> kustomizations() throws IOException {
        try (Stream<Path> overlays = Files.list(Repo.deploy().resolve("overlays"))) {
            return Stream.concat(Stream.of(Repo.deploy().resolve("base")),
                    overlays.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList().stream());
        }
    }

    @Test
    void bothOverlaysExist() throws IOException {
        assertThat(kustomizations().map(p -> p.getFileName().toString())).containsExactly("base", "local", "production");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void kustomizationBuilds(Path kustomization) {
        Manifests manifests = Manifests.render(kustomization);

        assertThat(manifests.ofKind("Deployment").map(Manifests::nameOf))
                .contains("registry-service", "attribution-service", "payout-service");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void kustomizationIsValidAgainstKubernetesSchemasStrictly(Path kustomization) {
        Manifests manifests = Manifests.render(kustomization);

        Tools.Result result = Tools.kubeconform(manifests.toYaml());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Invalid: 0, Errors: 0, Skipped: 0");
    }

    @Test
    void kubeconformRejectsAFieldKubernetesDoesNotHave() {
        Manifests manifests = Manifests.render(Repo.overlay("local")).copy();
        ((ObjectNode) manifests.container("Deployment", "registry-service").path("securityContext"))
                .put("readOnlyRootFileSystem", true);

        Tools.Result result = Tools.kubeconform(manifests.toYaml());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Deployment registry-service is invalid", "readOnlyRootFileSystem");
    }

    @Test
    void kubeconformRejectsAClusterFieldCloudNativePgDoesNotHave() {
        Manifests manifests = Manifests.render(Repo.overlay("production")).copy();
        ((ObjectNode) manifests.get("Cluster", "payout-db").path("spec")).put("replicas", 3);

        Tools.Result result = Tools.kubeconform(manifests.toYaml());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Cluster payout-db is invalid", "replicas");
    }

    @Test
    void kubeconformRejectsAKindWhoseSchemaIsNotInTheRepository() {
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: registry-service
                spec:
                  defaultBackend:
                    service:
                      name: registry-service
                      port:
                        number: 8081
                """;

        Tools.Result result = Tools.kubeconform(ingress);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("could not find schema for Ingress");
    }
}
