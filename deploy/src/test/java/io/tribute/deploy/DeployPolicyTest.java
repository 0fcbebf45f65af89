package io.tribute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The overlays keep every deploy rule, and each rule is proved by breaking a rendered manifest on purpose and
 * watching the rule name the fault.
 */
class DeployPolicyTest {

    private static Manifests local;
    private static Manifests production;

    @BeforeAll
    static void render() {
        local = Manifests.render(Repo.overlay("local"));
        production = Manifests.render(Repo.overlay("production"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void overlayKeepsEveryRule(String overlay) {
        DeployPolicy policy = new DeployPolicy(overlay.equals("local") ? local : production, overlay.equals("production"));

        assertThat(policy.services()).containsExactly("attribution-service", "payout-service", "registry-service");
        assertThat(policy.violations()).isEmpty();
    }

    @Nested
    class Probes {

        @Test
        void serviceWithoutLivenessProbeIsRejected() {
            Manifests broken = mutate(local, m -> container(m, "payout-service").remove("livenessProbe"));

            assertThat(policy(broken).probes()).contains("probes: Deployment/payout-service container server has no livenessProbe");
        }

        @Test
        void databaseWithoutReadinessProbeIsRejected() {
            Manifests broken = mutate(local, m -> m.container("StatefulSet", "registry-db").remove("readinessProbe"));

            assertThat(policy(broken).probes()).contains("probes: StatefulSet/registry-db container postgres has no readinessProbe");
        }

        @Test
        void livenessProbeThatChecksTheDatabaseIsRejected() {
            Manifests broken = mutate(local, m ->
                    ((ObjectNode) container(m, "registry-service").path("livenessProbe").path("httpGet")).put("path", "/q/health/ready"));

            assertThat(policy(broken).probes()).anySatisfy(v ->
                    assertThat(v).startsWith("probes: registry-service's livenessProbe must ask /q/health/live, not /q/health/ready"));
        }

        @Test
        void serviceWithoutStartupProbeIsRejected() {
            Manifests broken = mutate(local, m -> container(m, "attribution-service").remove("startupProbe"));

            assertThat(policy(broken).probes()).contains("probes: attribution-service has no startupProbe");
        }
    }

    @Nested
    class Resources {

        @Test
        void containerWithoutMemoryLimitIsRejected() {
            Manifests broken = mutate(local, m ->
                    ((ObjectNode) container(m, "registry-service").path("resources").path("limits")).remove("memory"));

            assertThat(policy(broken).resources()).containsExactly(
                    "resources: Deployment/registry-service container server has no limits.memory");
        }

        @Test
        void containerWithoutRequestsIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) m.container("Deployment", "anvil").path("resources")).remove("requests"));

            assertThat(policy(broken).resources()).contains(
                    "resources: Deployment/anvil container anvil has no requests.cpu",
                    "resources: Deployment/anvil container anvil has no requests.memory");
        }

        @Test
        void databaseClusterWithoutLimitsIsRejected() {
            Manifests broken = mutate(production, m -> ((ObjectNode) m.get("Cluster", "payout-db").path("spec").path("resources")).remove("limits"));

            assertThat(productionPolicy(broken).resources()).contains("resources: Cluster/payout-db has no limits.cpu");
        }
    }

    @Nested
    class Security {

        @Test
        void containerThatMayRunAsRootIsRejected() {
            Manifests broken = mutate(local, m -> {
                Manifests.podSpec(m.get("Deployment", "payout-service")).with("securityContext").remove("runAsNonRoot");
                ((ObjectNode) container(m, "payout-service").path("securityContext")).remove("runAsNonRoot");
            });

            assertThat(policy(broken).security()).contains(
                    "security: Deployment/payout-service container server may run as root (runAsNonRoot is not true)");
        }

        @Test
        void containerRunningAsUidZeroIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) container(m, "payout-service").path("securityContext")).put("runAsUser", 0));

            assertThat(policy(broken).security()).contains("security: Deployment/payout-service container server runs as uid 0");
        }

        @Test
        void privilegeEscalationIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) m.container("StatefulSet", "payout-db").path("securityContext"))
                    .remove("allowPrivilegeEscalation"));

            assertThat(policy(broken).security()).contains(
                    "security: StatefulSet/payout-db container postgres does not set allowPrivilegeEscalation: false");
        }

        @Test
        void capabilitiesNotDroppedOrAddedAreRejected() {
            Manifests broken = mutate(local, m -> {
                ObjectNode capabilities = (ObjectNode) container(m, "registry-service").path("securityContext").path("capabilities");
                capabilities.putArray("drop").add("NET_RAW");
                capabilities.putArray("add").add("SYS_ADMIN");
            });

            assertThat(policy(broken).security()).contains(
                    "security: Deployment/registry-service container server does not drop ALL capabilities",
                    "security: Deployment/registry-service container server adds capabilities [SYS_ADMIN]");
        }

        @Test
        void missingSeccompProfileIsRejected() {
            Manifests broken = mutate(local, m -> Manifests.podSpec(m.get("Deployment", "anvil")).with("securityContext").remove("seccompProfile"));

            assertThat(policy(broken).security()).contains(
                    "security: Deployment/anvil container anvil has seccomp profile (none), not RuntimeDefault");
        }

        @Test
        void writableRootFilesystemIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) container(m, "attribution-service").path("securityContext"))
                    .put("readOnlyRootFilesystem", false));

            assertThat(policy(broken).security()).contains(
                    "security: Deployment/attribution-service container server has a writable root filesystem");
        }

        @Test
        void serviceWithoutWritableTmpIsRejected() {
            Manifests broken = mutate(local, m -> container(m, "attribution-service").remove("volumeMounts"));

            assertThat(policy(broken).security()).contains(
                    "security: attribution-service has no emptyDir at /tmp for its read-only root filesystem");
        }

        @Test
        void namespaceThatDoesNotEnforceRestrictedIsRejected() {
            Manifests broken = mutate(production, m -> m.get("Namespace", "tribute").with("metadata").with("labels")
                    .put("pod-security.kubernetes.io/enforce", "baseline"));

            assertThat(productionPolicy(broken).security()).contains(
                    "security: namespace tribute does not enforce the restricted Pod Security Standard: baseline");
        }
    }

    @Nested
    class ConfigKeys {

        @Test
        void variableNamingNoSettingIsRejected() {
            Manifests broken = mutate(local, m -> addEnv(m, "registry-service", "QUARKUS_DATASOURCE_REACTIVE_URI", "postgresql://x/y"));

            assertThat(policy(broken).configKeys()).singleElement().asString()
                    .startsWith("config: registry-service sets QUARKUS_DATASOURCE_REACTIVE_URI, which names no setting of registry-service");
        }

        @Test
        void configMapKeyForAPeerTheServiceDoesNotCallIsRejected() {
            Manifests broken = mutate(production, m -> configMap(m, "registry-service").put("QUARKUS_GRPC_CLIENTS_ATTRIBUTION_HOST", "attribution-service"));

            assertThat(productionPolicy(broken).configKeys()).singleElement().asString()
                    .startsWith("config: registry-service sets QUARKUS_GRPC_CLIENTS_ATTRIBUTION_HOST");
        }

        @Test
        void settingOnlyTheTestProfileHasIsRejected() {
            Manifests broken = mutate(local, m -> configMap(m, "registry-service").put("QUARKUS_GRPC_CLIENTS_REGISTRY_HOST", "localhost"));

            assertThat(policy(broken).configKeys()).singleElement().asString()
                    .startsWith("config: registry-service sets QUARKUS_GRPC_CLIENTS_REGISTRY_HOST");
        }

        @Test
        void misspelledSecretSettingIsRejected() {
            Manifests broken = mutate(local, m -> addEnv(m, "payout-service", "TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEYS", "0x00"));

            assertThat(policy(broken).configKeys()).singleElement().asString()
                    .startsWith("config: payout-service sets TRIBUTE_PAYOUT_CHAIN_PRIVATE_KEYS");
        }

        @Test
        void secretWhoseKeysCannotBeSeenIsRejected() {
            Manifests broken = mutate(production, m -> container(m, "payout-service").withArray("envFrom")
                    .add(node("{secretRef: {name: payout-keys}}")));

            assertThat(productionPolicy(broken).configKeys()).containsExactly(
                    "config: payout-service takes every key of Secret payout-keys, whose names cannot be checked; use env with secretKeyRef");
        }

        @Test
        void builtInSettingsOnTheAllowListAreAccepted() {
            Manifests tracing = mutate(local, m -> {
                configMap(m, "payout-service").put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317");
                configMap(m, "payout-service").put("QUARKUS_OTEL_SDK_DISABLED", "false");
                addEnv(m, "payout-service", "JAVA_MAX_MEM_RATIO", "70");
            });

            assertThat(policy(tracing).configKeys()).isEmpty();
        }
    }

    @Nested
    class Ports {

        @Test
        void containerPortOtherThanTheConfiguredOneIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) container(m, "registry-service").path("ports").path(0)).put("containerPort", 9090));

            assertThat(policy(broken).ports()).contains(
                    "ports: registry-service's container port grpc is 9090, but quarkus.grpc.server.port is 8081");
        }

        @Test
        void serviceExposingAnotherPortIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) m.get("Service", "attribution-service").path("spec").path("ports").path(0))
                    .put("port", 80));

            assertThat(policy(broken).ports()).contains(
                    "ports: Service attribution-service exposes 80 for attribution-service's port 8082; peers dial the configured port");
        }

        @Test
        void serviceTargetingAPortNobodyListensOnIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) m.get("Service", "payout-service").path("spec").path("ports").path(1))
                    .put("targetPort", 8080));

            assertThat(policy(broken).ports()).contains(
                    "ports: Service payout-service targets 8080 on payout-service, which listens on 8083 and 9083");
        }

        @Test
        void peerCalledOnAnotherPortIsRejected() {
            Manifests broken = mutate(production, m -> configMap(m, "payout-service").put("QUARKUS_GRPC_CLIENTS_REGISTRY_PORT", "9081"));

            assertThat(productionPolicy(broken).ports()).containsExactly(
                    "ports: payout-service calls registry-service on port 9081, but registry-service listens for gRPC on 8081");
        }

        @Test
        void peerAtAHostThatIsNoServiceIsRejected() {
            Manifests broken = mutate(local, m -> configMap(m, "attribution-service").put("QUARKUS_GRPC_CLIENTS_REGISTRY_HOST", "registry"));

            assertThat(policy(broken).ports()).containsExactly(
                    "ports: attribution-service calls its registry client at host registry, which is no Service of a Tribute service in the manifests");
        }

        @Test
        void serverPortMovedByTheEnvironmentIsRejected() {
            Manifests broken = mutate(local, m -> addEnv(m, "registry-service", "QUARKUS_MANAGEMENT_PORT", "9000"));

            assertThat(policy(broken).ports()).contains(
                    "ports: registry-service sets QUARKUS_MANAGEMENT_PORT=9000, but the manifests are written for quarkus.management.port=9081");
        }

        @Test
        void probeOnTheGrpcPortIsRejected() {
            Manifests broken = mutate(local, m ->
                    ((ObjectNode) container(m, "registry-service").path("readinessProbe").path("httpGet")).put("port", 8081));

            assertThat(policy(broken).ports()).contains(
                    "ports: registry-service's readinessProbe asks port 8081, not the management port 9081");
        }

        @Test
        void networkPolicyOpeningAnotherPortIsRejected() {
            Manifests broken = mutate(local, m -> ((ObjectNode) m.get("NetworkPolicy", "registry-service")
                    .path("spec").path("ingress").path(0).path("ports").path(0)).put("port", 8080));

            assertThat(policy(broken).ports()).contains(
                    "ports: NetworkPolicy registry-service opens port 8080 on registry-service, which listens on 8081 and 9081");
        }

        @Test
        void networkPolicyCallingAPeerOnAnotherPortIsRejected() {
            Manifests broken = mutate(production, m -> ((ObjectNode) m.get("NetworkPolicy", "payout-service")
                    .path("spec").path("egress").path(2).path("ports").path(0)).put("port", 9082));

            assertThat(productionPolicy(broken).ports()).containsExactly(
                    "ports: NetworkPolicy payout-service lets pods call attribution-service on port 9082, but its gRPC port is 8082");
        }
    }

    @Nested
    class Databases {

        @Test
        void egressToAnotherServicesDatabaseIsRejected() {
            Manifests broken = mutate(local, m -> m.get("NetworkPolicy", "attribution-service").with("spec").withArray("egress")
                    .add(node("{to: [{podSelector: {matchLabels: {tribute.io/database: registry}}}], ports: [{protocol: TCP, port: 5432}]}")));

            assertThat(policy(broken).databases()).containsExactly(
                    "databases: NetworkPolicies let attribution-service connect out to registry-db, a database that is not its own");
        }

        @Test
        void databaseAcceptingAnotherServiceIsRejected() {
            Manifests broken = mutate(local, m -> ((ArrayNode) m.get("NetworkPolicy", "payout-db")
                    .path("spec").path("ingress").path(0).path("from"))
                    .add(node("{podSelector: {matchLabels: {app.kubernetes.io/name: registry-service}}}")));

            assertThat(policy(broken).databases()).containsExactly(
                    "databases: NetworkPolicies let payout-db accept registry-service, whose database it is not");
        }

        @Test
        void egressToEverythingOpensEveryDatabase() {
            Manifests broken = mutate(local, m -> m.get("NetworkPolicy", "payout-service").with("spec").withArray("egress").add(node("{}")));

            assertThat(policy(broken).databases()).containsExactly(
                    "databases: NetworkPolicies let payout-service connect out to attribution-db, a database that is not its own",
                    "databases: NetworkPolicies let payout-service connect out to registry-db, a database that is not its own");
        }

        @Test
        void egressToAnotherServicesCloudNativePgClusterIsRejected() {
            Manifests broken = mutate(production, m -> m.get("NetworkPolicy", "registry-service").with("spec").withArray("egress")
                    .add(node("{to: [{podSelector: {matchLabels: {cnpg.io/cluster: payout-db}}}], ports: [{port: 5432}]}")));

            assertThat(productionPolicy(broken).databases()).containsExactly(
                    "databases: NetworkPolicies let registry-service connect out to payout-db, a database that is not its own");
        }

        @Test
        void databaseWithoutIngressPolicyIsOpenToEveryService() {
            Manifests broken = mutate(local, m -> {
                m.all().remove(m.get("NetworkPolicy", "registry-db"));
                m.all().remove(m.get("NetworkPolicy", "default-deny"));
            });

            assertThat(policy(broken).databases()).contains(
                    "databases: NetworkPolicies let registry-db accept attribution-service, whose database it is not",
                    "databases: NetworkPolicies let registry-db accept payout-service, whose database it is not");
        }

        @Test
        void serviceCutOffFromItsOwnDatabaseIsRejected() {
            Manifests broken = mutate(local, m -> ((ArrayNode) m.get("NetworkPolicy", "registry-service").path("spec").path("egress")).remove(0));

            assertThat(policy(broken).databases()).containsExactly(
                    "databases: registry-service cannot reach its own database registry-db (egress allowed: false, ingress allowed: true)");
        }

        @Test
        void datasourceOnAnotherServicesDatabaseIsRejected() {
            Manifests broken = mutate(production, m -> configMap(m, "payout-service")
                    .put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://registry-db-rw:5432/registry"));

            assertThat(productionPolicy(broken).databases()).contains(
                    "databases: payout-service's reactive URL names host registry-db-rw but its JDBC URL names payout-db-rw",
                    "databases: payout-service cannot reach its own database registry-db (egress allowed: false, ingress allowed: false)");
        }

        @Test
        void missingDefaultDenyIsRejected() {
            Manifests broken = mutate(production, m -> m.all().remove(m.get("NetworkPolicy", "default-deny")));

            assertThat(productionPolicy(broken).defaultDeny()).containsExactly(
                    "network: namespace tribute has no default-deny NetworkPolicy for ingress and egress");
        }
    }

    @Nested
    class Shutdown {

        @Test
        void gracePeriodShorterThanTheShutdownTimeoutIsRejected() {
            Manifests broken = mutate(local, m -> Manifests.podSpec(m.get("Deployment", "payout-service")).put("terminationGracePeriodSeconds", 20));

            assertThat(policy(broken).shutdown()).containsExactly(
                    "shutdown: payout-service gets terminationGracePeriodSeconds 20, but needs preStop 5 s + quarkus.shutdown.timeout 20 s = 25 s");
        }

        @Test
        void serviceWithoutPreStopPauseIsRejected() {
            Manifests broken = mutate(local, m -> container(m, "registry-service").remove("lifecycle"));

            assertThat(policy(broken).shutdown()).containsExactly(
                    "shutdown: registry-service has no preStop pause, so calls still routed to a stopping pod fail");
        }
    }

    @Nested
    class ImagesAvailabilityAndSecrets {

        @Test
        void imageWithoutPinnedTagIsRejected() {
            Manifests broken = mutate(local, m -> {
                m.container("Deployment", "anvil").put("image", "ghcr.io/foundry-rs/foundry");
                container(m, "registry-service").put("image", "tribute/registry-service:latest");
            });

            assertThat(policy(broken).images()).containsExactlyInAnyOrder(
                    "images: Deployment/anvil container anvil uses image ghcr.io/foundry-rs/foundry without a pinned tag",
                    "images: Deployment/registry-service container server uses image tribute/registry-service:latest without a pinned tag");
        }

        @Test
        void productionWithASingleReplicaIsRejected() {
            Manifests broken = mutate(production, m -> {
                m.get("Deployment", "attribution-service").with("spec").put("replicas", 1);
                m.get("HorizontalPodAutoscaler", "attribution-service").with("spec").put("minReplicas", 1);
            });

            assertThat(productionPolicy(broken).availability()).containsExactly(
                    "availability: production runs 1 replica of attribution-service; at least 2",
                    "availability: production lets the autoscaler shrink attribution-service below 2 replicas");
        }

        @Test
        void productionWithoutTopologySpreadIsRejected() {
            Manifests broken = mutate(production, m -> Manifests.podSpec(m.get("Deployment", "payout-service")).remove("topologySpreadConstraints"));

            assertThat(productionPolicy(broken).availability()).containsExactly(
                    "availability: production does not spread payout-service's replicas over nodes (topologySpreadConstraints)");
        }

        @Test
        void serviceWithoutDisruptionBudgetIsRejected() {
            Manifests broken = mutate(local, m -> m.all().remove(m.get("PodDisruptionBudget", "registry-service")));

            assertThat(policy(broken).availability()).containsExactly("availability: registry-service has no PodDisruptionBudget");
        }

        @Test
        void productionThatCreatesASecretIsRejected() {
            Manifests broken = mutate(production, m -> m.all().add((ObjectNode) node(
                    "{apiVersion: v1, kind: Secret, metadata: {name: registry-signing-key, namespace: tribute}, stringData: {private-key: x}}")));

            assertThat(productionPolicy(broken).secrets()).containsExactly(
                    "secrets: production creates Secret registry-signing-key; keys come from Secrets the operator creates, referenced by name");
        }

        @Test
        void localOverlayMayCreateItsDevelopmentSecrets() {
            assertThat(local.ofKind("Secret").map(Manifests::nameOf).map(n -> n.replaceAll("-[a-z0-9]{10}$", "")))
                    .contains("registry-db-app", "attribution-db-app", "payout-db-app");
            assertThat(policy(local).secrets()).isEmpty();
        }
    }

    // --- helpers

    private static DeployPolicy policy(Manifests manifests) {
        return new DeployPolicy(manifests, false);
    }

    private static DeployPolicy productionPolicy(Manifests manifests) {
        return new DeployPolicy(manifests, true);
    }

    private static Manifests mutate(Manifests clean, Consumer<Manifests> change) {
        Manifests copy = clean.copy();
        change.accept(copy);
        return copy;
    }

    private static ObjectNode container(Manifests m, String service) {
        return m.container("Deployment", service);
    }

    private static ObjectNode configMap(Manifests m, String service) {
        String name = container(m, service).path("envFrom").path(0).path("configMapRef").path("name").asText();
        return m.get("ConfigMap", name).with("data");
    }

    private static void addEnv(Manifests m, String service, String name, String value) {
        container(m, service).withArray("env").addObject().put("name", name).put("value", value);
    }

    private static JsonNode node(String flowYaml) {
        try {
            return Manifests.YAML.readTree(flowYaml);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
