package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.v1.AttributeOutputResponse;
import io.tribute.attribution.v1.AttributeOutputsRequest;
import io.tribute.attribution.v1.AttributeOutputsResponse;
import io.tribute.common.grpc.ApiErrors;
import io.tribute.common.grpc.StatusDetails;
import io.tribute.common.v1.ErrorReason;
import io.tribute.common.v1.FieldViolation;
import io.tribute.common.v1.ItemError;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * AttributeOutputs: each stream item is an AttributeOutput of its own, up to stream-concurrency of them at
 * once; the answers are released in request order. A failed item is answered with its error and the stream
 * goes on; only a malformed message, too many items or an unreachable database end the call.
 */
@ApplicationScoped
public class AttributionStreams {

    private final AttributionService attributions;
    private final Vertx vertx;
    private final int concurrency;
    private final int maxItems;

    public AttributionStreams(AttributionService attributions, Vertx vertx,
            @ConfigProperty(name = "tribute.attribution.stream-concurrency") int concurrency,
            @ConfigProperty(name = "tribute.attribution.stream.max-items") int maxItems) {
        this.attributions = attributions;
        this.vertx = vertx;
        this.concurrency = concurrency;
        this.maxItems = maxItems;
    }

    /** @param callDeadline the stream call's deadline (bounds every registry read), or null */
    public Multi<AttributeOutputsResponse> attribute(Multi<AttributeOutputsRequest> requests, Deadline callDeadline) {
        InOrder inOrder = new InOrder();
        long[] received = {0};
        return requests
                .onItem().transform(message -> new Item(received[0]++, message))
                .onItem().transformToUni(item -> answer(item, callDeadline)).merge(concurrency)
                .onItem().transformToIterable(inOrder::release);
    }

    private record Item(long index, AttributeOutputsRequest message) {
    }

    private Uni<AttributeOutputsResponse> answer(Item item, Deadline callDeadline) {
        if (item.index() >= maxItems) {
            throw ERRORS.status(Code.RESOURCE_EXHAUSTED, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED, "more than "
                    + maxItems + " items in one stream; open another stream", Map.of("limit", Integer.toString(maxItems)));
        }
        if (!item.message().hasItem()) {
            throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_STREAM_PROTOCOL_VIOLATION,
                    "stream message " + item.index() + " has no item", Map.of("index", Long.toString(item.index())));
        }
        AttributeOutputsResponse.Builder response = AttributeOutputsResponse.newBuilder()
                .setIndex(item.index()).setRequestId(item.message().getItem().getRequestId());
        return onOwnContext(() -> attributions.attribute(item.message().getItem(), callDeadline))
                .map(done -> response.setAttribution(done.getAttribution()).build())
                .onFailure(AttributionStreams::isItemError)
                .recoverWithItem(failure -> response.setError(itemError(status(failure))).build());
    }

    /**
     * Runs an item on a duplicated Vert.x context of its own: Hibernate Reactive keeps one session per
     * context, and items of one stream run concurrently.
     */
    private Uni<AttributeOutputResponse> onOwnContext(Supplier<Uni<AttributeOutputResponse>> work) {
        Context current = Vertx.currentContext();
        Context own = VertxContext.createNewDuplicatedContext(current != null ? current : vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(own, true);
        return Uni.createFrom().emitter(emitter -> own.runOnContext(ignored -> {
            Uni<AttributeOutputResponse> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            started.subscribe().with(emitter::complete, emitter::fail);
        }));
    }

    /** Errors of the item itself; a database outage (or a failure without a status) ends the stream. */
    private static boolean isItemError(Throwable failure) {
        StatusRuntimeException status = status(failure);
        if (status == null) {
            return false;
        }
        return !ApiErrors.DATABASE_UNAVAILABLE.equals(StatusDetails.of(status).reason());
    }

    private static StatusRuntimeException status(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException status) {
                return status;
            }
        }
        return null;
    }

    static ItemError itemError(StatusRuntimeException error) {
        StatusDetails details = StatusDetails.of(error);
        ItemError.Builder item = ItemError.newBuilder().setCode(details.code()).setMessage(details.message())
                .setReason(details.reason()).setDomain(details.errorInfo().getDomain())
                .putAllMetadata(details.errorInfo().getMetadataMap());
        details.fieldViolations().forEach(violation -> item.addFieldViolations(FieldViolation.newBuilder()
                .setField(violation.getField()).setDescription(violation.getDescription())));
        return item.build();
    }

    /** Holds answers that finished early until every earlier one is out. One per stream. */
    private static final class InOrder {
        private final Map<Long, AttributeOutputsResponse> waiting = new TreeMap<>();
        private long next;

        synchronized List<AttributeOutputsResponse> release(AttributeOutputsResponse done) {
            waiting.put(done.getIndex(), done);
            List<AttributeOutputsResponse> ready = new ArrayList<>();
            for (AttributeOutputsResponse head = waiting.remove(next); head != null; head = waiting.remove(next)) {
                ready.add(head);
                next++;
            }
            return ready;
        }
    }
}
