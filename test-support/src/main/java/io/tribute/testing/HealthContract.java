package io.tribute.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every service promises Kubernetes and gRPC load balancers: the three HTTP probes on the
 * management port, and the standard gRPC health service on the gRPC port. A service's test extends
 * this and names its own gRPC service.
 */
public abstract class HealthContract {

    private ManagedChannel channel;

    /** The fully-qualified gRPC service name, e.g. {@code tribute.registry.v1.RegistryService}. */
    protected abstract String grpcServiceName();

    @BeforeEach
    void openChannel() {
        channel = ManagedChannelBuilder.forAddress("localhost", ServicePorts.grpc()).usePlaintext().build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void livenessIsUp() {
        given().get(ServicePorts.managementUrl("/q/health/live"))
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessIsUpAndChecksTheDatabase() {
        given().get(ServicePorts.managementUrl("/q/health/ready"))
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsString("Reactive PostgreSQL")));
    }

    @Test
    void startupIsUp() {
        given().get(ServicePorts.managementUrl("/q/health/started"))
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreServedOnTheManagementPort() {
        String metrics = given().get(ServicePorts.managementUrl("/q/metrics")).then().statusCode(200)
                .extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void grpcHealthServiceReportsTheServerServing() {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void grpcHealthServiceKnowsTheTributeService() {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        var response = health.check(HealthCheckRequest.newBuilder().setService(grpcServiceName()).build());
        assertThat(response.getStatus()).isEqualTo(ServingStatus.SERVING);
    }
}
