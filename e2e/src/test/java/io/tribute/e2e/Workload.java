package io.tribute.e2e;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Output;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.Money;
import io.tribute.e2e.People.Person;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.RecordRevenueRequest;
import io.tribute.payout.v1.RecordRevenueResponse;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.RegisterAssetRequest;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform's traffic through all three services while a fault is injected: each worker registers a model made by
 * one of the people, attributes an output of it, and records revenue for that output, one call after the other, as a
 * pipeline would. A call that fails is retried with the same request (the same {@code request_id}) after a pause,
 * as a well-behaved client retries, until it is answered. Every answer is kept, so that afterwards the test can check
 * that nothing answered OK was lost and that nothing took effect twice.
 */
final class Workload implements AutoCloseable {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    /** What a client retries: the service (or a peer it needs) is away or was too slow; anything else is a bug. */
    private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(120);

    /** One model's way from registration to revenue; each step's request is built once and resent as is. */
    static final class Journey {
        final Person person;
        final RegisterAssetRequest registration;
        final String outputSha256;
        final BigInteger amount;
        private final String attributionRequestId = UUID.randomUUID().toString();
        private final String revenueRequestId = UUID.randomUUID().toString();
        private final String currency;
        volatile String assetId;
        volatile String attributionId;
        volatile RecordRevenueResponse revenue;

        private Journey(Person person, String currency) {
            this.person = person;
            this.registration = RegisterAssetRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setAsset(Asset.newBuilder().setKind(AssetKind.ASSET_KIND_MODEL).setSha256(randomSha256())
                            .setSizeBytes(1).setMediaType("application/octet-stream").setLicense("MIT")
                            .addCreators(CreatorShare.newBuilder().setContributorId(person.id())
                                    .setSharePpm(1_000_000)))
                    .build();
            this.outputSha256 = randomSha256();
            this.amount = BigInteger.valueOf(ThreadLocalRandom.current().nextLong(1, 1_000_000_000_000L));
            this.currency = currency;
        }

        AttributeOutputRequest attribution() {
            return AttributeOutputRequest.newBuilder().setRequestId(attributionRequestId)
                    .setOutput(Output.newBuilder().setContentSha256(outputSha256).setModelAssetId(assetId)
                            .setPlatformRef("e2e/drill"))
                    .build();
        }

        RecordRevenueRequest revenueRequest() {
            return RecordRevenueRequest.newBuilder().setRequestId(revenueRequestId).setAttributionId(attributionId)
                    .setAmount(Money.newBuilder().setAsset(currency).setAmount(amount.toString()))
                    .build();
        }

        boolean complete() {
            return revenue != null;
        }

        /** What the journal credited {@link #person}. */
        BigInteger credit() {
            return revenue.getJournal().getEntriesList().stream()
                    .filter(entry -> entry.getAccount().getContributorId().equals(person.id()))
                    .map(JournalEntry::getCredit).filter(credit -> !credit.isEmpty()).map(BigInteger::new)
                    .reduce(BigInteger.ZERO, BigInteger::add);
        }
    }

    private final TributeSuite suite;
    private final List<Person> people;
    private final ConcurrentLinkedQueue<Journey> journeys = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answeredCalls = new AtomicInteger();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    private Workload(TributeSuite suite, List<Person> people) {
        this.suite = suite;
        this.people = people;
    }

    /** Starts {@code workers} callers, each working for one person of {@code people} in turn. */
    static Workload start(TributeSuite suite, List<Person> people, int workers) {
        Workload workload = new Workload(suite, people);
        for (int i = 0; i < workers; i++) {
            Thread worker = Thread.ofPlatform().name("workload-" + i).start(() -> {
                try {
                    workload.work();
                } catch (RuntimeException | Error e) {
                    workload.failures.add(e);
                }
            });
            workload.workers.add(worker);
        }
        return workload;
    }

    /** Waits until {@code calls} more calls have been answered OK. */
    void awaitAnswered(int calls, Duration timeout) throws InterruptedException {
        int target = answeredCalls.get() + calls;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answeredCalls.get() < target) {
            failIfAWorkerFailed();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + answeredCalls.get() + " of " + target + " calls answered within "
                        + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Stops the workers; each finishes its journey by retrying with the same requests until they are answered. */
    List<Journey> finish() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join(FINISH_TIMEOUT.toMillis());
            if (worker.isAlive()) {
                throw new AssertionError(worker.getName() + " could not finish its journey within " + FINISH_TIMEOUT);
            }
        }
        failIfAWorkerFailed();
        return List.copyOf(journeys);
    }

    private void failIfAWorkerFailed() {
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a call failed with a status no client should retry");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    int failedCalls() {
        return failedCalls.get();
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
    }

    private void work() {
        int turn = 0;
        while (running) {
            Journey journey = new Journey(people.get(turn++ % people.size()), suite.currency());
            journeys.add(journey);
            journey.assetId = answered(() -> suite.registry().registerAsset(journey.registration).getAsset()
                    .getId());
            journey.attributionId = answered(() -> suite.attribution().attributeOutput(journey.attribution())
                    .getAttribution().getId());
            journey.revenue = answered(() -> suite.payout().recordRevenue(journey.revenueRequest()));
        }
    }

    /** Sends the call until it is answered OK, pausing between tries; a journey once begun is always finished. */
    private <T> T answered(Call<T> call) {
        long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
        while (true) {
            try {
                T answer = call.send();
                answeredCalls.incrementAndGet();
                return answer;
            } catch (StatusRuntimeException e) {
                failedCalls.incrementAndGet();
                if (!RETRYABLE.contains(e.getStatus().getCode()) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(RETRY_PAUSE);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T send();
    }

    private static String randomSha256() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
