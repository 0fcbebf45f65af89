package io.tribute.e2e;

import static io.tribute.e2e.Settlements.amount;
import static org.assertj.core.api.Assertions.assertThat;

import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.e2e.People.Person;
import io.tribute.e2e.TributeSuite.Service;
import io.tribute.e2e.Workload.Journey;
import io.tribute.payout.v1.BatchState;
import io.tribute.payout.v1.CurrencyBalance;
import io.tribute.registry.v1.GetAssetRequest;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault drills under load: while a platform's traffic runs through all three services ({@link Workload}), a service
 * is killed with {@code kill -9} and started again (as Kubernetes restarts a crashed pod), PostgreSQL is restarted
 * under the running services, or anvil is restarted with a settlement in flight. In every case every request
 * answered OK is still there (replayed with its request_id, it returns the same result), every revenue is in its
 * contributor's balance once, the services become ready again by themselves, and the on-chain settlement pays each
 * contributor exactly what the ledger holds.
 */
class FaultDrillTest {

    private static final int WORKERS = 4;
    /** Calls answered before a fault is injected, and again after recovery, before the traffic stops. */
    private static final int CALLS_AROUND_FAULT = 24;
    private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration OUTAGE = Duration.ofSeconds(2);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);

    private static TributeSuite suite;
    private static People people;
    private static Settlements settlements;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = TributeSuite.shared();
        people = new People(suite);
        settlements = new Settlements(suite);
    }

    @AfterEach
    void everythingRunsAgain() throws Exception {
        suite.postgres.startAgain();
        suite.chain.anvil.start();
        suite.chain.anvil.setAutomine(true);
        for (Service service : Service.values()) {
            if (!suite.isAlive(service)) {
                suite.startService(service);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void aServiceKilledUnderLoadLosesNoAnsweredRequestAndPaysNothingTwice(Service killed) throws Exception {
        List<Person> team = team(killed.name().toLowerCase(Locale.ROOT));
        List<Journey> journeys;
        try (Workload workload = Workload.start(suite, team, WORKERS)) {
            workload.awaitAnswered(CALLS_AROUND_FAULT, TRAFFIC_TIMEOUT);

            suite.kill(killed);
            assertThat(suite.isAlive(killed)).isFalse();
            Thread.sleep(OUTAGE);
            suite.startService(killed);
            awaitAllReady();

            workload.awaitAnswered(CALLS_AROUND_FAULT, TRAFFIC_TIMEOUT);
            journeys = workload.finish();
            assertThat(workload.failedCalls()).as("calls that met the outage").isPositive();
        }
        assertNothingLostNorDoubled(team, journeys);
    }

    @Test
    void postgresRestartedUnderLoadTheServicesRecoverByThemselves() throws Exception {
        List<Person> team = team("postgres");
        List<Journey> journeys;
        try (Workload workload = Workload.start(suite, team, WORKERS)) {
            workload.awaitAnswered(CALLS_AROUND_FAULT, TRAFFIC_TIMEOUT);

            suite.postgres.stop();
            awaitNoneReady();
            Thread.sleep(OUTAGE);
            suite.postgres.startAgain();
            awaitAllReady();

            workload.awaitAnswered(CALLS_AROUND_FAULT, TRAFFIC_TIMEOUT);
            journeys = workload.finish();
            assertThat(workload.failedCalls()).as("calls that met the outage").isPositive();
        }
        for (Service service : Service.values()) {
            assertThat(suite.isAlive(service)).as("%s was never restarted", service).isTrue();
        }
        assertNothingLostNorDoubled(team, journeys);
    }

    @Test
    void anvilRestartedUnderLoadWithASettlementInFlightPaysEachBatchOnce() throws Exception {
        List<Person> team = team("anvil");
        List<Journey> journeys;
        try (Workload workload = Workload.start(suite, team, WORKERS)) {
            workload.awaitAnswered(CALLS_AROUND_FAULT, TRAFFIC_TIMEOUT);
            suite.chain.anvil.setAutomine(false);
            String settlementId = settlements.create();
            settlements.awaitFirstBatch(settlementId, BatchState.BATCH_STATE_BROADCAST);

            suite.chain.anvil.stop();
            Thread.sleep(OUTAGE);
            suite.chain.anvil.start();
            suite.chain.anvil.setAutomine(true);
            settlements.awaitSettled(settlementId);

            workload.awaitAnswered(CALLS_AROUND_FAULT, TRAFFIC_TIMEOUT);
            journeys = workload.finish();
        }
        awaitAllReady();
        assertNothingLostNorDoubled(team, journeys);
    }

    /**
     * Every answered request is still there, and took effect once: replayed with its request_id, each returns what
     * it returned the first time; each person's balance holds each revenue once; a settlement then pays each person
     * on-chain exactly that.
     */
    private static void assertNothingLostNorDoubled(List<Person> team, List<Journey> journeys)
            throws InterruptedException {
        assertThat(journeys).isNotEmpty().allSatisfy(journey -> assertThat(journey.complete()).isTrue());
        for (Journey journey : journeys) {
            assertThat(suite.registry().registerAsset(journey.registration).getAsset().getId())
                    .isEqualTo(journey.assetId);
            assertThat(suite.registry().getAsset(GetAssetRequest.newBuilder().setAssetId(journey.assetId).build())
                    .getAsset().getSha256()).isEqualTo(journey.registration.getAsset().getSha256());
            assertThat(suite.attribution().attributeOutput(journey.attribution()).getAttribution().getId())
                    .isEqualTo(journey.attributionId);
            assertThat(suite.attribution().getAttribution(GetAttributionRequest.newBuilder()
                    .setOutputSha256(journey.outputSha256).build()).getAttribution().getId())
                    .isEqualTo(journey.attributionId);
            assertThat(suite.payout().recordRevenue(journey.revenueRequest()).getJournal().getId())
                    .isEqualTo(journey.revenue.getJournal().getId());
            assertThat(journey.credit()).isPositive().isLessThanOrEqualTo(journey.amount);
        }
        for (Person person : team) {
            BigInteger earned = earnedBy(person, journeys);
            CurrencyBalance balance = settlements.balance(person);
            assertThat(amount(balance.getAccrued()).add(amount(balance.getInSettlement()))
                    .add(amount(balance.getPaid()))).as("%s's balance", person.name()).isEqualTo(earned);
        }

        settlements.awaitSettled(settlements.create());
        for (Person person : team) {
            BigInteger earned = earnedBy(person, journeys);
            assertThat(amount(settlements.balance(person).getPaid())).as("%s paid in the ledger", person.name())
                    .isEqualTo(earned);
            assertThat(suite.chain.payer.tokenBalance(suite.chain.token, person.wallet()))
                    .as("%s's tokens on-chain", person.name()).isEqualTo(earned);
        }
    }

    private static void awaitAllReady() throws InterruptedException {
        for (Service service : Service.values()) {
            suite.awaitReady(service, RECOVERY_TIMEOUT);
        }
    }

    /** Readiness follows the database: while it is down, no service takes traffic. */
    private static void awaitNoneReady() throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        List<Service> ready = new ArrayList<>(List.of(Service.values()));
        while (!ready.isEmpty()) {
            ready.removeIf(service -> !suite.isReady(service));
            if (System.nanoTime() > deadline) {
                throw new AssertionError(ready + " still ready " + RECOVERY_TIMEOUT + " after PostgreSQL stopped");
            }
            Thread.sleep(100);
        }
    }

    private static List<Person> team(String drill) throws Exception {
        List<Person> team = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            team.add(people.withWallet(drill + "-" + i));
        }
        return team;
    }

    private static BigInteger earnedBy(Person person, List<Journey> journeys) {
        return journeys.stream().filter(journey -> journey.person == person).map(Journey::credit)
                .reduce(BigInteger.ZERO, BigInteger::add);
    }
}
