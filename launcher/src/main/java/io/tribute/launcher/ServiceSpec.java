package io.tribute.launcher;

import java.util.List;

/** One service of the suite as the launcher starts it: where its jar is and which ports it answers on. */
record ServiceSpec(String name, int grpcPort, int managementPort, List<String> peers) {

    static final List<ServiceSpec> SUITE = List.of(
            new ServiceSpec("registry-service", 8081, 9081, List.of()),
            new ServiceSpec("attribution-service", 8082, 9082, List.of("registry")),
            new ServiceSpec("payout-service", 8083, 9083, List.of("registry", "attribution")));

    /** The gRPC client name peers use for this service: {@code registry} for registry-service. */
    String clientName() {
        return name.substring(0, name.indexOf('-'));
    }

    String databaseName() {
        return clientName();
    }

    static ServiceSpec byName(String name) {
        return SUITE.stream().filter(spec -> spec.name().equals(name)).findFirst().orElseThrow();
    }

    static ServiceSpec byClientName(String clientName) {
        return SUITE.stream().filter(spec -> spec.clientName().equals(clientName)).findFirst().orElseThrow();
    }
}
