package io.tribute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each service's image is the Quarkus JVM layout, runs as the uid the manifests expect, and exposes its ports. */
class DockerfileTest {

    @ParameterizedTest
    @ValueSource(strings = {"registry-service", "attribution-service", "payout-service"})
    void dockerfileCopiesTheFastJarAndRunsAsTheManifestsUser(String service) throws IOException {
        Path dockerfile = Repo.root().resolve(service).resolve("src/main/docker/Dockerfile.jvm");
        String text = Files.readString(dockerfile);
        ServiceConfig config = ServiceConfig.load(Repo.root(), service);
        int uid = Manifests.podSpec(Manifests.render(Repo.deploy().resolve("base")).get("Deployment", service))
                .path("securityContext").path("runAsUser").asInt();

        assertThat(text).contains(
                "COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/",
                "COPY --chown=185 target/quarkus-app/*.jar /deployments/",
                "COPY --chown=185 target/quarkus-app/app/ /deployments/app/",
                "COPY --chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/",
                "EXPOSE " + config.grpcPort() + " " + config.managementPort());
        assertThat(text).containsPattern("(?m)^USER " + uid + "$");
    }
}
