package io.tribute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the policy reads a service's application.properties. */
class ServiceConfigTest {

    @Test
    void envNameFollowsQuarkusMapping() {
        assertThat(ServiceConfig.envName("quarkus.datasource.reactive.url")).isEqualTo("QUARKUS_DATASOURCE_REACTIVE_URL");
        assertThat(ServiceConfig.envName("quarkus.grpc.server.max-inbound-message-size"))
                .isEqualTo("QUARKUS_GRPC_SERVER_MAX_INBOUND_MESSAGE_SIZE");
        assertThat(ServiceConfig.envName("tribute.payout.chain.rpc-url")).isEqualTo("TRIBUTE_PAYOUT_CHAIN_RPC_URL");
    }

    @Test
    void productionSettingsLeaveTheTestProfileOut() {
        ServiceConfig registry = ServiceConfig.load(Repo.root(), "registry-service");

        assertThat(registry.settings()).containsKey("quarkus.datasource.reactive.url")
                .doesNotContainKey("quarkus.grpc.clients.registry.host");
        assertThat(registry.clients()).isEmpty();
    }

    @Test
    void prodProfileOverridesTheDefault() {
        ServiceConfig registry = ServiceConfig.load(Repo.root(), "registry-service");

        assertThat(registry.settings()).containsEntry("quarkus.log.console.json.enabled", "true");
    }

    @Test
    void portsShutdownAndPeersComeFromTheServicesOwnFile() {
        ServiceConfig payout = ServiceConfig.load(Repo.root(), "payout-service");

        assertThat(payout.grpcPort()).isEqualTo(8083);
        assertThat(payout.managementPort()).isEqualTo(9083);
        assertThat(payout.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(payout.clients()).containsExactly("attribution", "registry");
    }
}
