package io.tribute.testing;

import org.eclipse.microprofile.config.ConfigProvider;

/** The ports of the service under test, as its test profile configures them. */
public final class ServicePorts {

    private ServicePorts() {
    }

    public static int grpc() {
        return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    }

    public static int management() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    public static String managementUrl(String path) {
        return "http://localhost:" + management() + path;
    }
}
