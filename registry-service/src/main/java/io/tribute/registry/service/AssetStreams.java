package io.tribute.registry.service;

import static io.tribute.registry.grpc.RegistryErrors.ERRORS;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tribute.common.grpc.StatusDetails;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.ErrorReason;
import io.tribute.common.v1.FieldViolation;
import io.tribute.common.v1.ItemError;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.service.AssetRegistrar.Outcome;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetsRequest;
import io.tribute.registry.v1.RegisterAssetsResponse.Registered;
import io.tribute.registry.v1.RegisterAssetsResponse.Result;
import io.tribute.registry.v1.RegisterAssetsResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RegisterAssets: turns the client stream into batches (entries with their complete member lists; a
 * dataset alone, others by tribute.registry.register-batch-size), registers each batch as it completes,
 * and answers with every entry's outcome in stream order.
 */
@ApplicationScoped
public class AssetStreams {

    private final AssetRegistrar registrar;
    private final AssetSettings settings;

    public AssetStreams(AssetRegistrar registrar, AssetSettings settings) {
        this.registrar = registrar;
        this.settings = settings;
    }

    public Uni<RegisterAssetsResponse> register(Multi<RegisterAssetsRequest> stream) {
        Batcher batcher = new Batcher();
        Multi<List<RegisterAssetRequest>> batches = Multi.createBy().concatenating().streams(
                stream.onItem().transformToIterable(batcher::accept),
                Multi.createFrom().deferred(() -> Multi.createFrom().iterable(batcher.finish())));
        List<RegisterAssetRequest> entries = new ArrayList<>();
        return batches
                .onItem().transformToUniAndConcatenate(batch -> {
                    entries.addAll(batch);
                    return registrar.register(batch, settings.maxDatasetItems());
                })
                .collect().in(ArrayList<Outcome>::new, List::addAll)
                .map(outcomes -> response(entries, outcomes));
    }

    private static RegisterAssetsResponse response(List<RegisterAssetRequest> entries, List<Outcome> outcomes) {
        RegisterAssetsResponse.Builder response = RegisterAssetsResponse.newBuilder();
        int created = 0;
        int existing = 0;
        int failed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            Result.Builder result = Result.newBuilder().setIndex(i).setRequestId(entries.get(i).getRequestId());
            if (outcome.error() != null) {
                failed++;
                result.setError(itemError(outcome.error()));
            } else {
                boolean isNew = outcome.response().getCreated();
                boolean byThisStream = isNew && !outcome.replayed();
                created += byThisStream ? 1 : 0;
                existing += byThisStream ? 0 : 1;
                result.setRegistered(Registered.newBuilder()
                        .setAssetId(outcome.response().getAsset().getId())
                        .setSha256(outcome.response().getAsset().getSha256())
                        .setCreated(isNew));
            }
            response.addResults(result);
        }
        return response.setCreatedCount(created).setExistingCount(existing).setFailedCount(failed).build();
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

    /** Assembles entries from stream messages and cuts them into batches. Not thread-safe: one per stream. */
    private final class Batcher {
        private RegisterAssetRequest.Builder pendingDataset;
        private final List<RegisterAssetRequest> batch = new ArrayList<>();
        private int entries;

        List<List<RegisterAssetRequest>> accept(RegisterAssetsRequest message) {
            List<List<RegisterAssetRequest>> ready = new ArrayList<>();
            switch (message.getEntryCase()) {
                case ASSET -> {
                    if (++entries > settings.maxItemsPerStream()) {
                        throw ERRORS.status(Code.RESOURCE_EXHAUSTED, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED,
                                "more than " + settings.maxItemsPerStream() + " entries in one stream",
                                Map.of("limit", Integer.toString(settings.maxItemsPerStream())));
                    }
                    flushDataset(ready);
                    RegisterAssetRequest entry = message.getAsset();
                    if (entry.getAsset().getKind() == AssetKind.ASSET_KIND_DATASET) {
                        flushBatch(ready);
                        pendingDataset = entry.toBuilder();
                    } else {
                        batch.add(entry);
                        if (batch.size() >= settings.registerBatchSize()) {
                            flushBatch(ready);
                        }
                    }
                }
                case DATASET_MEMBERS -> {
                    int count = message.getDatasetMembers().getSha256Count();
                    if (pendingDataset == null || count == 0 || count > settings.maxDatasetMembersPerMessage()) {
                        throw ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_STREAM_PROTOCOL_VIOLATION,
                                "dataset_members must follow a DATASET entry and hold 1 to "
                                        + settings.maxDatasetMembersPerMessage() + " hashes", Map.of());
                    }
                    pendingDataset.addAllDatasetMemberSha256(message.getDatasetMembers().getSha256List());
                }
                case ENTRY_NOT_SET -> throw ERRORS.status(Code.INVALID_ARGUMENT,
                        ErrorReason.ERROR_REASON_STREAM_PROTOCOL_VIOLATION, "empty stream message", Map.of());
            }
            return ready;
        }

        List<List<RegisterAssetRequest>> finish() {
            List<List<RegisterAssetRequest>> ready = new ArrayList<>();
            flushDataset(ready);
            flushBatch(ready);
            return ready;
        }

        private void flushDataset(List<List<RegisterAssetRequest>> ready) {
            if (pendingDataset != null) {
                ready.add(List.of(pendingDataset.build()));
                pendingDataset = null;
            }
        }

        private void flushBatch(List<List<RegisterAssetRequest>> ready) {
            if (!batch.isEmpty()) {
                ready.add(List.copyOf(batch));
                batch.clear();
            }
        }
    }
}
