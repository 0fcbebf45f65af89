package io.tribute.payout;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.testing.DatabaseOutageContract;
import io.tribute.testing.RestartablePostgresResource;

@QuarkusTest
@WithTestResource(RestartablePostgresResource.class)
class DatabaseOutageTest extends DatabaseOutageContract {
}
