package io.tribute.payout.bench;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceImplBase;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.Checkpoint;
import io.tribute.attribution.v1.GetAttributionRequest;
import io.tribute.attribution.v1.GetAttributionResponse;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetCheckpointResponse;
import io.tribute.attribution.v1.Output;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.ListContributorsRequest;
import io.tribute.registry.v1.ListContributorsResponse;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceImplBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A small in-process gRPC server standing in for the peers in the load harness (not in any test): attribution
 * {@code k} gives 20 equal shares (50,000 ppm each) to contributors {@code 20k .. 20k+19}, and every contributor has
 * a bound wallet whose address is derived from its id. It answers the two RPCs payout calls on each peer with
 * fixed data, so the measurement is payout's own cost, not the peers'.
 */
final class FixedPeers implements AutoCloseable {

    static final int SHARES_PER_ATTRIBUTION = 20;
    private static final long CHECKPOINT_SIZE = 1;
    private static final String CHECKPOINT_ROOT = "ab".repeat(32);

    private final Server server;
    private final int contributors;

    private FixedPeers(int contributors) throws IOException {
        this.contributors = contributors;
        this.server = NettyServerBuilder.forPort(0)
                .addService(new FixedAttributions())
                .addService(new FixedRegistry())
                .build()
                .start();
    }

    static FixedPeers start(int contributors) throws IOException {
        return new FixedPeers(contributors);
    }

    int port() {
        return server.getPort();
    }

    /** How many distinct attributions cover every contributor once. */
    int attributions() {
        return (contributors + SHARES_PER_ATTRIBUTION - 1) / SHARES_PER_ATTRIBUTION;
    }

    static UUID attributionId(int index) {
        return new UUID(0x0000_0000_0000_7000L, index);
    }

    static UUID contributorId(int index) {
        return new UUID(0x0000_0001_0000_7000L, index);
    }

    /** The wallet (0x address) bound to a contributor. */
    static String walletOf(String contributorId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(contributorId.getBytes(StandardCharsets.UTF_8));
            return "0x" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class FixedAttributions extends AttributionServiceImplBase {

        @Override
        public void getAttribution(GetAttributionRequest request, StreamObserver<GetAttributionResponse> response) {
            UUID id = UUID.fromString(request.getAttributionId());
            int index = (int) id.getLeastSignificantBits();
            Attribution.Builder attribution = Attribution.newBuilder().setId(id.toString())
                    .setOutput(Output.newBuilder().setContentSha256(String.format("%064x", index)));
            for (int share = 0; share < SHARES_PER_ATTRIBUTION; share++) {
                int contributor = (index * SHARES_PER_ATTRIBUTION + share) % contributors;
                attribution.addShares(AttributionShare.newBuilder()
                        .setContributorId(contributorId(contributor).toString())
                        .setSharePpm(1_000_000 / SHARES_PER_ATTRIBUTION));
            }
            response.onNext(GetAttributionResponse.newBuilder().setAttribution(attribution).build());
            response.onCompleted();
        }

        @Override
        public void getCheckpoint(GetCheckpointRequest request, StreamObserver<GetCheckpointResponse> response) {
            response.onNext(GetCheckpointResponse.newBuilder().setCheckpoint(Checkpoint.newBuilder()
                    .setTreeSize(CHECKPOINT_SIZE).setRootHash(CHECKPOINT_ROOT)).build());
            response.onCompleted();
        }
    }

    private static final class FixedRegistry extends RegistryServiceImplBase {

        @Override
        public void listContributors(ListContributorsRequest request,
                StreamObserver<ListContributorsResponse> response) {
            ListContributorsResponse.Builder page = ListContributorsResponse.newBuilder();
            for (String id : request.getContributorIdsList()) {
                page.addContributors(Contributor.newBuilder().setId(id)
                        .setPayoutAccount("eip155:31337:" + walletOf(id)));
            }
            response.onNext(page.build());
            response.onCompleted();
        }
    }
}
