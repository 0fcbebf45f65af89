package io.tribute.attribution.log;

import static io.tribute.testing.GrpcErrors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.tribute.attribution.service.TransparencyLog;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceBlockingStub;
import io.tribute.attribution.v1.Checkpoint;
import io.tribute.attribution.v1.GetCheckpointRequest;
import io.tribute.attribution.v1.GetConsistencyProofRequest;
import io.tribute.attribution.v1.GetConsistencyProofResponse;
import io.tribute.attribution.v1.GetInclusionProofRequest;
import io.tribute.attribution.v1.GetInclusionProofResponse;
import io.tribute.common.v1.MerkleInclusionProof;
import io.tribute.testing.PostgresResource;
import io.tribute.testing.Rfc9162Verifier;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class TransparencyLogTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String DOMAIN = "attribution.tribute.io";
    private static final int MAX_SIZE = 1_000;

    @GrpcClient("attribution")
    AttributionServiceBlockingStub attribution;

    @Inject
    TransparencyLog log;

    private final Random random = new Random(9162);

    @Test
    void everyTreeSizeUpToAThousandHasVerifiableInclusionAndConsistencyProofs() throws Exception {
        // Grow the log to at least 1,000 leaves, one append at a time and in batches of up to 7.
        while (leafCount() < MAX_SIZE) {
            int batch = Math.min(1 + random.nextInt(7), MAX_SIZE - (int) leafCount());
            append(batch);
        }
        List<byte[]> leaves = storedLeaves();
        attribution.getCheckpoint(GetCheckpointRequest.getDefaultInstance());

        for (int size = 1; size <= MAX_SIZE; size++) {
            byte[] expectedRoot = Rfc9162Verifier.treeHash(leaves.subList(0, size));
            for (long index : new long[] {0, size - 1, size / 2, random.nextInt(size)}) {
                MerkleInclusionProof proof = inclusion(index, size).getProof();
                assertThat(proof.getRootHash()).isEqualTo(HEX.formatHex(expectedRoot));
                assertThat(proof.getLeafHash())
                        .isEqualTo(HEX.formatHex(Rfc9162Verifier.leafHash(leaves.get((int) index))));
                assertThat(Rfc9162Verifier.verifyInclusion(index, size, HEX.parseHex(proof.getLeafHash()),
                        path(proof.getAuditPathList()), expectedRoot)).as("inclusion of %d in %d", index, size)
                        .isTrue();
            }
            for (long first : new long[] {1, size, Math.max(1, size / 2), 1 + random.nextInt(size)}) {
                GetConsistencyProofResponse proof = consistency(first, size);
                byte[] firstRoot = Rfc9162Verifier.treeHash(leaves.subList(0, (int) first));
                assertThat(proof.getFirstRootHash()).isEqualTo(HEX.formatHex(firstRoot));
                assertThat(proof.getSecondRootHash()).isEqualTo(HEX.formatHex(expectedRoot));
                assertThat(Rfc9162Verifier.verifyConsistency(first, size, path(proof.getProofList()), firstRoot,
                        expectedRoot)).as("consistency of %d with %d", first, size).isTrue();
            }
        }
    }

    @Test
    void laterCheckpointProvesTheEarlierOneWasOnlyAppendedTo() throws Exception {
        append(3);
        Checkpoint earlier = checkpoint();
        append(37);
        Checkpoint later = checkpoint();

        assertThat(later.getTreeSize()).isGreaterThanOrEqualTo(earlier.getTreeSize() + 37);
        assertThat(signatureValid(earlier)).isTrue();
        assertThat(signatureValid(later)).isTrue();
        GetConsistencyProofResponse proof = consistency(earlier.getTreeSize(), 0);
        assertThat(proof.getCheckpoint()).isEqualTo(later);
        assertThat(Rfc9162Verifier.verifyConsistency(earlier.getTreeSize(), later.getTreeSize(),
                path(proof.getProofList()), rootOfNote(earlier), rootOfNote(later))).isTrue();
        GetInclusionProofResponse inclusion = attribution.getInclusionProof(GetInclusionProofRequest.newBuilder()
                .setLogIndex(later.getTreeSize() - 1).build());
        assertThat(inclusion.getCheckpoint()).isEqualTo(later);
        assertThat(Rfc9162Verifier.verifyInclusion(later.getTreeSize() - 1, later.getTreeSize(),
                Rfc9162Verifier.leafHash(HEX.parseHex(inclusion.getAttributionHash())),
                path(inclusion.getProof().getAuditPathList()), rootOfNote(later))).isTrue();
    }

    @Test
    void tamperedLeafRootOrProofIsRejected() throws Exception {
        append(21);
        long size = checkpoint().getTreeSize();
        long index = size - 5;
        MerkleInclusionProof proof = inclusion(index, size).getProof();
        byte[] leaf = HEX.parseHex(proof.getLeafHash());
        byte[] root = HEX.parseHex(proof.getRootHash());
        List<byte[]> auditPath = path(proof.getAuditPathList());
        assertThat(Rfc9162Verifier.verifyInclusion(index, size, leaf, auditPath, root)).isTrue();

        assertThat(Rfc9162Verifier.verifyInclusion(index, size, flip(leaf), auditPath, root)).isFalse();
        assertThat(Rfc9162Verifier.verifyInclusion(index, size, leaf, auditPath, flip(root))).isFalse();
        List<byte[]> tamperedPath = new ArrayList<>(auditPath);
        tamperedPath.set(0, flip(tamperedPath.getFirst()));
        assertThat(Rfc9162Verifier.verifyInclusion(index, size, leaf, tamperedPath, root)).isFalse();
        assertThat(Rfc9162Verifier.verifyInclusion(index - 1, size, leaf, auditPath, root)).isFalse();

        GetConsistencyProofResponse consistency = consistency(index, size);
        byte[] firstRoot = HEX.parseHex(consistency.getFirstRootHash());
        List<byte[]> consistencyPath = path(consistency.getProofList());
        assertThat(Rfc9162Verifier.verifyConsistency(index, size, consistencyPath, firstRoot, root)).isTrue();
        assertThat(Rfc9162Verifier.verifyConsistency(index, size, consistencyPath, flip(firstRoot), root)).isFalse();
        assertThat(Rfc9162Verifier.verifyConsistency(index, size, consistencyPath, firstRoot, flip(root))).isFalse();
    }

    @Test
    void checkpointSignatureVerifiesWithThePublishedEd25519Key() throws Exception {
        append(2);
        Checkpoint checkpoint = checkpoint();

        assertThat(signatureValid(checkpoint)).isTrue();
        String[] lines = checkpoint.getNote().split("\n", -1);
        assertThat(lines[0]).isEqualTo(checkpoint.getOrigin());
        assertThat(lines[1]).isEqualTo(Long.toString(checkpoint.getTreeSize()));
        assertThat(HEX.formatHex(Base64.getDecoder().decode(lines[2]))).isEqualTo(checkpoint.getRootHash());
        assertThat(lines[3]).isEqualTo("timestamp " + (checkpoint.getTimestamp().getSeconds() * 1000
                + checkpoint.getTimestamp().getNanos() / 1_000_000));
        assertThat(lines[4]).isEmpty();
        assertThat(lines[5]).startsWith("\u2014 " + checkpoint.getKeyName() + " ");
        byte[] tagged = Base64.getDecoder().decode(lines[5].substring(lines[5].lastIndexOf(' ') + 1));
        assertThat(HEX.formatHex(Arrays.copyOf(tagged, 4))).isEqualTo(checkpoint.getKeyId());
        assertThat(Arrays.copyOfRange(tagged, 4, tagged.length)).isEqualTo(checkpoint.getSignature().toByteArray());

        Checkpoint forged = checkpoint.toBuilder()
                .setNote(checkpoint.getNote().replaceFirst("\n" + checkpoint.getTreeSize() + "\n",
                        "\n" + (checkpoint.getTreeSize() + 1) + "\n"))
                .build();
        assertThat(signatureValid(forged)).isFalse();
    }

    @Test
    void databaseRefusesToChangeOrRemoveLogRows() throws Exception {
        append(1);
        checkpoint();
        long before = leafCount();
        try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
            for (String change : List.of(
                    "UPDATE log_leaf SET leaf_data = leaf_data WHERE leaf_index = 0",
                    "DELETE FROM log_leaf WHERE leaf_index = 0",
                    "UPDATE log_node SET hash = hash WHERE level = 0 AND node_index = 0",
                    "DELETE FROM log_node",
                    "UPDATE log_checkpoint SET note = note",
                    "DELETE FROM log_checkpoint",
                    "TRUNCATE log_leaf CASCADE",
                    "TRUNCATE log_node")) {
                assertThatThrownBy(() -> statement.execute(change)).as(change)
                        .isInstanceOf(SQLException.class).hasMessageContaining("not allowed");
            }
        }
        assertThat(leafCount()).isEqualTo(before);
    }

    @Test
    void concurrentAppendsGetDenseIndexesInOneOrder() throws Exception {
        long before = leafCount();
        int writers = 8;
        int appendsEach = 25;
        Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        byte[] data = randomLeaf();
                        written.add(HEX.formatHex(data));
                        appendNow(List.of(data));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        List<byte[]> leaves = storedLeaves();
        assertThat(leaves).hasSizeGreaterThanOrEqualTo((int) before + writers * appendsEach);
        Set<String> stored = new HashSet<>();
        leaves.forEach(leaf -> stored.add(HEX.formatHex(leaf)));
        assertThat(stored).containsAll(written);
        long size = checkpoint().getTreeSize();
        GetConsistencyProofResponse whole = consistency(size, size);
        assertThat(whole.getSecondRootHash())
                .isEqualTo(HEX.formatHex(Rfc9162Verifier.treeHash(leaves.subList(0, (int) size))));
    }

    @Test
    void badProofRequestsAreRefused() {
        assertFails(() -> attribution.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(0).build()), Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_FIELD");
        assertFails(() -> attribution.getInclusionProof(GetInclusionProofRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "INVALID_FIELD");
        assertFails(() -> attribution.getInclusionProof(GetInclusionProofRequest.newBuilder()
                .setLogIndex(0).setTreeSize(Long.MAX_VALUE).build()), Status.Code.OUT_OF_RANGE, DOMAIN,
                "TREE_SIZE_OUT_OF_RANGE");
        assertFails(() -> attribution.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(Long.MAX_VALUE).build()), Status.Code.OUT_OF_RANGE, DOMAIN, "TREE_SIZE_OUT_OF_RANGE");
    }

    private GetInclusionProofResponse inclusion(long index, long size) {
        return attribution.getInclusionProof(GetInclusionProofRequest.newBuilder()
                .setLogIndex(index).setTreeSize(size).build());
    }

    private GetConsistencyProofResponse consistency(long first, long second) {
        return attribution.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(first).setSecondTreeSize(second).build());
    }

    private Checkpoint checkpoint() {
        return attribution.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getCheckpoint();
    }

    /** Checks the note's signature with the JDK's Ed25519 and the key from verifier_key alone. */
    private static boolean signatureValid(Checkpoint checkpoint) throws Exception {
        String[] key = checkpoint.getVerifierKey().split("\\+", 3);
        byte[] typed = Base64.getDecoder().decode(key[2]);
        assertThat(typed[0]).isEqualTo((byte) 0x01);
        byte[] x509 = HEX.parseHex("302a300506032b6570032100");
        byte[] encoded = Arrays.copyOf(x509, x509.length + 32);
        System.arraycopy(typed, 1, encoded, x509.length, 32);
        PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        String note = checkpoint.getNote();
        String body = note.substring(0, note.indexOf("\n\n") + 1);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(body.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(checkpoint.getSignature().toByteArray());
    }

    private static byte[] rootOfNote(Checkpoint checkpoint) {
        return Base64.getDecoder().decode(checkpoint.getNote().split("\n")[2]);
    }

    private void append(int count) {
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(randomLeaf());
        }
        appendNow(batch);
    }

    private void appendNow(List<byte[]> leafData) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> log.append(leafData));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private synchronized byte[] randomLeaf() {
        byte[] data = new byte[32];
        random.nextBytes(data);
        return data;
    }

    private static List<byte[]> path(List<String> hex) {
        return hex.stream().map(HEX::parseHex).toList();
    }

    private static byte[] flip(byte[] hash) {
        byte[] copy = hash.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }

    private static long leafCount() throws SQLException {
        try (Connection connection = jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM log_leaf")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<byte[]> storedLeaves() throws SQLException {
        List<byte[]> leaves = new ArrayList<>();
        try (Connection connection = jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT leaf_index, leaf_data FROM log_leaf ORDER BY 1")) {
            while (rows.next()) {
                assertThat(rows.getLong(1)).isEqualTo(leaves.size());
                leaves.add(rows.getBytes(2));
            }
        }
        return leaves;
    }

    private static Connection jdbc() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
