package io.tribute.attribution.grpc;

import static io.tribute.attribution.RegistryFixtures.parent;
import static io.tribute.attribution.RegistryFixtures.randomSha;
import static io.tribute.testing.GrpcErrors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.tribute.attribution.RegistryFixtures;
import io.tribute.attribution.RegistryServiceResource;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.AttributeOutputsRequest;
import io.tribute.attribution.v1.AttributeOutputsResponse;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceBlockingStub;
import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.attribution.v1.MutinyAttributionServiceGrpc.MutinyAttributionServiceStub;
import io.tribute.attribution.v1.Output;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.FieldViolation;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AttributeOutputs over a real bidirectional gRPC stream, against a real registry-service and PostgreSQL. The
 * test profile limits a stream to 25 items (tribute.attribution.stream.max-items).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(RegistryServiceResource.class)
class AttributeOutputsStreamRpcTest {

    private static final String DOMAIN = "attribution.tribute.io";

    @GrpcClient("attribution")
    MutinyAttributionServiceStub streams;

    @GrpcClient("attribution")
    AttributionServiceBlockingStub service;

    @GrpcClient("registry")
    RegistryServiceBlockingStub registryStub;

    private String model;

    @BeforeEach
    void registerAModelWithData() {
        RegistryFixtures registry = new RegistryFixtures(registryStub);
        String builder = registry.contributor("builder");
        String item = registry.asset(AssetKind.ASSET_KIND_DATA_ITEM, registry.contributor("author"));
        String base = registry.asset(AssetKind.ASSET_KIND_MODEL, registry.contributor("base builder"),
                parent(item, EdgeType.EDGE_TYPE_TRAINED_ON));
        model = registry.asset(AssetKind.ASSET_KIND_MODEL, builder, parent(base, EdgeType.EDGE_TYPE_FINETUNED_FROM));
    }

    @Test
    void everyItemIsAnsweredInOrderAndFailedItemsDoNotStopTheStream() throws Exception {
        List<AttributeOutputRequest> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(request(model));
        }
        items.set(5, items.get(5).toBuilder().setOutput(items.get(5).getOutput().toBuilder()
                .setContentSha256("not a hash")).build());
        items.set(9, request(UUID.randomUUID().toString()));

        Outcome outcome = stream(items.stream().map(item -> AttributeOutputsRequest.newBuilder().setItem(item).build())
                .toList());

        assertThat(outcome.failure.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(outcome.responses).extracting(AttributeOutputsResponse::getIndex)
                .containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
        assertThat(outcome.responses).extracting(AttributeOutputsResponse::getRequestId)
                .containsExactlyElementsOf(items.stream().map(AttributeOutputRequest::getRequestId).toList());
        AttributeOutputsResponse invalid = outcome.responses.get(5);
        assertThat(invalid.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(invalid.getError().getReason()).isEqualTo("INVALID_FIELD");
        assertThat(invalid.getError().getDomain()).isEqualTo(DOMAIN);
        assertThat(invalid.getError().getFieldViolationsList()).extracting(FieldViolation::getField)
                .containsExactly("output.content_sha256");
        AttributeOutputsResponse unknownModel = outcome.responses.get(9);
        assertThat(unknownModel.getError().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
        assertThat(unknownModel.getError().getReason()).isEqualTo("ASSET_NOT_FOUND");
        for (int i = 0; i < 20; i++) {
            if (i != 5 && i != 9) {
                AttributeOutputsResponse answered = outcome.responses.get(i);
                assertThat(answered.getAttribution().getOutput().getContentSha256())
                        .isEqualTo(items.get(i).getOutput().getContentSha256());
                assertThat(service.getAttribution(GetAttributionRequest.newBuilder()
                        .setAttributionId(answered.getAttribution().getId()).build()).getAttribution())
                        .isEqualTo(answered.getAttribution());
            }
        }
        assertFails(() -> service.getAttribution(GetAttributionRequest.newBuilder()
                .setOutputSha256(items.get(9).getOutput().getContentSha256()).build()),
                Status.Code.NOT_FOUND, DOMAIN, "ATTRIBUTION_NOT_FOUND");

        // Resending the same items (same request ids) replays them: the same attributions at the same log
        // indexes, nothing new logged.
        Outcome resent = stream(items.stream().map(item -> AttributeOutputsRequest.newBuilder().setItem(item).build())
                .toList());
        assertThat(resent.failure.get(60, TimeUnit.SECONDS)).isNull();
        for (int i = 0; i < 20; i++) {
            assertThat(resent.responses.get(i)).isEqualTo(outcome.responses.get(i));
        }
    }

    @Test
    void aMessageWithoutAnItemEndsTheStreamAsAProtocolViolation() throws Exception {
        Outcome outcome = stream(List.of(AttributeOutputsRequest.newBuilder().setItem(request(model)).build(),
                AttributeOutputsRequest.getDefaultInstance()));

        Throwable failure = outcome.failure.get(60, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(reason(failure)).isEqualTo("STREAM_PROTOCOL_VIOLATION");
    }

    @Test
    void itemsBeyondTheStreamLimitEndTheCallWithResourceExhausted() throws Exception {
        List<AttributeOutputsRequest> messages = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            messages.add(AttributeOutputsRequest.newBuilder().setItem(request(model)).build());
        }

        Outcome outcome = stream(messages);

        Throwable failure = outcome.failure.get(60, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(reason(failure)).isEqualTo("LIMIT_EXCEEDED");
        assertThat(outcome.responses).hasSizeLessThanOrEqualTo(25);
        for (int i = 0; i < outcome.responses.size(); i++) {
            assertThat(outcome.responses.get(i).getIndex()).isEqualTo(i);
        }
    }

    /** What came back on a stream: the responses in arrival order, and how it ended (null = completed). */
    private record Outcome(List<AttributeOutputsResponse> responses, CompletableFuture<Throwable> failure) {
    }

    private Outcome stream(List<AttributeOutputsRequest> messages) {
        Outcome outcome = new Outcome(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        streams.withDeadlineAfter(60, TimeUnit.SECONDS).attributeOutputs(Multi.createFrom().iterable(messages))
                .subscribe().with(outcome.responses::add, outcome.failure::complete, () -> outcome.failure.complete(null));
        return outcome;
    }

    private static String reason(Throwable failure) throws Exception {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                return detail.unpack(ErrorInfo.class).getReason();
            }
        }
        return null;
    }

    private static AttributeOutputRequest request(String modelId) {
        return AttributeOutputRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setOutput(Output.newBuilder().setContentSha256(randomSha()).setModelAssetId(modelId)
                        .setPlatformRef("stream"))
                .build();
    }
}
