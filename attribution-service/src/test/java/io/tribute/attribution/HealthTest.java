package io.tribute.attribution;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.testing.HealthContract;
import io.tribute.testing.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class HealthTest extends HealthContract {

    @Override
    protected String grpcServiceName() {
        return "tribute.attribution.v1.AttributionService";
    }
}
