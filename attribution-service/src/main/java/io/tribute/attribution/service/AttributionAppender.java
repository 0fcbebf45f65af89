package io.tribute.attribution.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tribute.attribution.service.AttributionWriter.Computed;
import io.tribute.attribution.service.AttributionWriter.Item;
import io.tribute.attribution.service.AttributionWriter.Outcome;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Group commit of attributions: one batch at a time goes to {@link AttributionWriter} (one transaction,
 * one commit, under the log's append lock); what arrives meanwhile waits and forms the next batch. An idle
 * service writes a lone attribution at once; under load, one commit flush serves many attributions.
 */
@ApplicationScoped
public class AttributionAppender {

    private static final Logger LOG = Logger.getLogger(AttributionAppender.class);

    private final AttributionWriter writer;
    private final Vertx vertx;
    private final int maxBatch;
    private final Queue<Pending> queue = new ArrayDeque<>();
    private boolean writing;

    public AttributionAppender(AttributionWriter writer, Vertx vertx,
            @ConfigProperty(name = "tribute.attribution.log.max-append-batch") int maxBatch) {
        this.writer = writer;
        this.vertx = vertx;
        this.maxBatch = maxBatch;
    }

    private record Pending(Item item, UniEmitter<? super AttributeOutputResponse> emitter) {
    }

    /** Stores the attribution with the next batch and answers with its own outcome. */
    public Uni<AttributeOutputResponse> store(AttributeOutputRequest request, Computed computed) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                queue.add(new Pending(new Item(request, computed), emitter));
                if (writing) {
                    return;
                }
                writing = true;
            }
            writeNextBatch();
        });
    }

    private void writeNextBatch() {
        List<Pending> batch = takeBatch();
        if (batch.isEmpty()) {
            return;
        }
        LOG.debugf("writing a batch of %d attributions", batch.size());
        Context own = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(own, true);
        own.runOnContext(ignored -> {
            Uni<List<Outcome>> written;
            try {
                written = writer.storeBatch(batch.stream().map(Pending::item).toList());
            } catch (RuntimeException e) {
                written = Uni.createFrom().failure(e);
            }
            written.subscribe().with(outcomes -> {
                writeNextBatch();
                for (int i = 0; i < batch.size(); i++) {
                    Outcome outcome = outcomes.get(i);
                    if (outcome.error() != null) {
                        batch.get(i).emitter().fail(outcome.error());
                    } else {
                        batch.get(i).emitter().complete(outcome.response());
                    }
                }
            }, failure -> {
                writeNextBatch();
                batch.forEach(pending -> pending.emitter().fail(failure));
            });
        });
    }

    /**
     * Up to max-append-batch waiting items in arrival order, skipping any that shares a request_id or an
     * output hash with an item already taken: it goes to the next batch and meets the first's stored row
     * there (a replay, or OUTPUT_ALREADY_ATTRIBUTED), as if the two had run one after the other.
     */
    private synchronized List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Iterator<Pending> waiting = queue.iterator(); waiting.hasNext() && batch.size() < maxBatch; ) {
            Pending pending = waiting.next();
            Set<String> itemKeys = AttributionWriter.batchKeys(pending.item());
            if (itemKeys.stream().noneMatch(keys::contains)) {
                keys.addAll(itemKeys);
                batch.add(pending);
                waiting.remove();
            }
        }
        if (batch.isEmpty()) {
            writing = false;
        }
        return batch;
    }
}
