package io.tribute.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the service's own database: DOWN while it is gone, UP again when it is back,
 * with no restart; liveness stays UP throughout, so Kubernetes never kills a healthy process for an
 * outage it cannot fix. A service's test extends this with {@link RestartablePostgresResource}.
 */
public abstract class DatabaseOutageContract {

    private static final Duration PROBE_WAIT = Duration.ofSeconds(30);

    @InjectPostgres
    protected EmbeddedPostgresServer postgres;

    @Test
    void readinessFollowsTheDatabaseDownAndUpWhileLivenessStaysUp() {
        awaitStatus("/q/health/ready", 200);

        postgres.stop();
        try {
            awaitStatus("/q/health/ready", 503);
            given().get(ServicePorts.managementUrl("/q/health/live")).then().statusCode(200);
        } finally {
            postgres.startAgain();
        }

        awaitStatus("/q/health/ready", 200);
        given().get(ServicePorts.managementUrl("/q/health/live")).then().statusCode(200);
    }

    private static void awaitStatus(String path, int status) {
        await().atMost(PROBE_WAIT).pollInterval(Duration.ofMillis(250)).until(
                () -> given().get(ServicePorts.managementUrl(path)).statusCode() == status);
    }
}
