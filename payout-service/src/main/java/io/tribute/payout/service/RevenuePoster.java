package io.tribute.payout.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tribute.payout.repository.RevenueJournalRepository;
import io.tribute.payout.repository.RevenueJournalRepository.Posting;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Group commit of revenue journals: at most {@code revenue-batches-in-flight} batches are being posted at a time, each
 * one statement and one commit ({@link RevenueJournalRepository}); postings that arrive meanwhile wait and form the
 * next batch. An idle service posts a lone revenue at once; under load one commit serves many calls.
 *
 * <p>A batch never holds two postings of one request id: the later waits for the next batch and meets the first's
 * claim there, as if the two calls had run one after the other. A batch the database refuses as a whole (a
 * constraint, a deadlock) is retried one posting at a time, so one bad posting fails only its own call; a batch that
 * cannot reach the database fails every call in it with that failure (UNAVAILABLE to the caller), and nothing of it
 * is posted (one statement: all or nothing).
 */
@ApplicationScoped
public class RevenuePoster {

    private static final Logger LOG = Logger.getLogger(RevenuePoster.class);

    private final RevenueJournalRepository repository;
    private final Vertx vertx;
    private final int maxBatch;
    private final int maxInFlight;
    private final Queue<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    public RevenuePoster(RevenueJournalRepository repository, Vertx vertx, PayoutSettings settings) {
        this.repository = repository;
        this.vertx = vertx;
        this.maxBatch = settings.revenueBatchSize();
        this.maxInFlight = settings.revenueBatchesInFlight();
    }

    private record Pending(Posting posting, UniEmitter<? super Boolean> emitter) {
    }

    /**
     * Posts with the next batch; true when this call claimed its request id (and posted its journal), false when
     * the id was claimed before (the caller replays the stored response).
     */
    public Uni<Boolean> post(Posting posting) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                queue.add(new Pending(posting, emitter));
                if (inFlight >= maxInFlight) {
                    return;
                }
                inFlight++;
            }
            postNextBatch();
        });
    }

    private void postNextBatch() {
        List<Pending> batch = takeBatch();
        if (batch.isEmpty()) {
            return;
        }
        Context own = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(own, true);
        own.runOnContext(ignored -> write(batch).subscribe().with(claimed -> {
            postNextBatch();
            batch.forEach(pending -> pending.emitter().complete(claimed.contains(pending.posting().requestId())));
        }, failure -> {
            if (batch.size() > 1 && isRefusal(failure)) {
                LOG.debugf("a batch of %d revenues was refused (%s); posting them one at a time", batch.size(),
                        failure.getMessage());
                postOneByOne(batch).subscribe().with(ignoredItem -> postNextBatch());
            } else {
                postNextBatch();
                batch.forEach(pending -> pending.emitter().fail(failure));
            }
        }));
    }

    private Uni<Set<String>> write(List<Pending> batch) {
        try {
            return repository.claimAndPost(LedgerService.RECORD_REVENUE, batch.stream().map(Pending::posting).toList());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** Each posting in a statement of its own, one after another; each call gets its own outcome. */
    private Uni<Void> postOneByOne(List<Pending> batch) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Pending pending : batch) {
            chain = chain.chain(() -> write(List.of(pending))
                    .onItemOrFailure().invoke((claimed, failure) -> {
                        if (failure != null) {
                            pending.emitter().fail(failure);
                        } else {
                            pending.emitter().complete(claimed.contains(pending.posting().requestId()));
                        }
                    })
                    .onFailure().recoverWithNull().replaceWithVoid());
        }
        return chain;
    }

    /**
     * The server answered and refused the statement (SQLSTATE outside class 08, connection, and 57P, shutting down
     * or starting): one posting may be at fault, so the postings are retried alone.
     */
    private static boolean isRefusal(Throwable failure) {
        String state = failure instanceof DatabaseException database ? database.getSqlState() : null;
        return state != null && !state.startsWith("08") && !state.startsWith("57P");
    }

    /**
     * Up to revenue-batch-size waiting postings in arrival order, skipping any whose request id is already taken: it
     * stays queued for the next batch. An empty batch ends this writer.
     */
    private synchronized List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        Set<String> requestIds = new HashSet<>();
        for (Iterator<Pending> waiting = queue.iterator(); waiting.hasNext() && batch.size() < maxBatch; ) {
            Pending pending = waiting.next();
            if (requestIds.add(pending.posting().requestId())) {
                batch.add(pending);
                waiting.remove();
            }
        }
        if (batch.isEmpty()) {
            inFlight--;
        }
        return batch;
    }
}
