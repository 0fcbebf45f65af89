package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.rpc.Code;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.LogGrowth;
import io.tribute.attribution.log.NodeKey;
import io.tribute.attribution.log.ProofPlan;
import io.tribute.attribution.log.SignedCheckpoint;
import io.tribute.attribution.repository.LogAppendRepository;
import io.tribute.attribution.repository.LogProofRepository;
import io.tribute.attribution.repository.LogProofRepository.ProofRows;
import io.tribute.common.merkle.MerkleProofs;
import io.tribute.common.merkle.PerfectSubtrees;
import io.tribute.common.v1.ErrorReason;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The append-only transparency log: appends leaves in order (serialized by a database lock), publishes
 * signed checkpoints and answers inclusion and consistency proofs from the stored perfect subtrees.
 */
@ApplicationScoped
public class TransparencyLog {

    private final Pool pool;
    private final LogAppendRepository appends;
    private final LogProofRepository proofs;
    private final CheckpointPublisher publisher;
    private final Duration checkpointInterval;
    private final Clock clock = Clock.systemUTC();
    /** The latest checkpoint as last read, served without a read until the interval has passed since. */
    private volatile Seen seen;

    public TransparencyLog(Pool pool, LogAppendRepository appends, LogProofRepository proofs,
            CheckpointPublisher publisher,
            @ConfigProperty(name = "tribute.attribution.log.checkpoint-interval") Duration checkpointInterval) {
        this.pool = pool;
        this.appends = appends;
        this.proofs = proofs;
        this.publisher = publisher;
        this.checkpointInterval = checkpointInterval;
    }

    /**
     * Appends leaves (each the 32-byte data of one leaf) in a transaction of its own and returns the index of
     * the first. Appends queue on a lock held until commit, so indexes are dense and never reordered.
     */
    public Uni<Long> append(List<byte[]> leafData) {
        return pool.withTransaction(connection -> appends.lock(connection).chain(tip -> appends
                .insert(connection, tip.size(), leafData, LogGrowth.newNodes(tip.size(), tip.frontier(), leafData))
                .replaceWith(tip.size())));
    }

    /** The data of leaf {@code index}, or null when the log has no such leaf. */
    public Uni<byte[]> leafData(long index) {
        return proofs.read(index, List.of()).map(ProofRows::leafData);
    }

    /**
     * The latest checkpoint, after signing a new one if the log has grown and the interval has passed. Within
     * the interval after a read, the checkpoint read is served from memory: it covers every leaf older than
     * the interval, which is all that a checkpoint promises.
     */
    public Uni<SignedCheckpoint> checkpoint() {
        Instant now = clock.instant();
        Seen known = seen;
        if (known != null && known.readAt().plus(checkpointInterval).isAfter(now)) {
            return Uni.createFrom().item(known.checkpoint());
        }
        return publisher.latest().invoke(found -> seen = new Seen(found, now));
    }

    /** A checkpoint and when the read that returned it started. */
    private record Seen(SignedCheckpoint checkpoint, Instant readAt) {
    }

    /** RFC 9162 inclusion proof of leaf {@code index} in the tree of {@code treeSize} (0 = latest checkpoint). */
    public Uni<InclusionProof> inclusionProof(long index, long treeSize) {
        return resolve(treeSize).chain(resolved -> {
            long size = resolved.treeSize();
            if (index >= size) {
                throw outOfRange("leaf " + index + " is not covered by the tree of " + size
                        + " leaves (yet: retry after the checkpoint interval)");
            }
            Set<NodeKey> keys = ProofPlan.nodesRead(tree -> {
                tree.hash(0, index);
                MerkleProofs.inclusionPath(tree, index, size);
                MerkleProofs.root(tree, size);
            });
            return proofs.read(index, keys).map(rows -> {
                PerfectSubtrees tree = ProofPlan.from(rows.nodes());
                return new InclusionProof(index, size, rows.leafData(), tree.hash(0, index),
                        MerkleProofs.inclusionPath(tree, index, size), MerkleProofs.root(tree, size),
                        resolved.checkpoint());
            });
        });
    }

    /** RFC 9162 consistency proof from {@code first} to {@code second} leaves (second 0 = latest checkpoint). */
    public Uni<ConsistencyProof> consistencyProof(long first, long second) {
        return resolve(second).chain(resolved -> {
            long size = resolved.treeSize();
            if (first > size) {
                throw outOfRange("first_tree_size " + first + " is above second_tree_size " + size);
            }
            return read(
                    tree -> {
                        MerkleProofs.consistencyProof(tree, first, size);
                        MerkleProofs.root(tree, first);
                        MerkleProofs.root(tree, size);
                    },
                    tree -> new ConsistencyProof(first, size, MerkleProofs.consistencyProof(tree, first, size),
                            MerkleProofs.root(tree, first), MerkleProofs.root(tree, size), resolved.checkpoint()));
        });
    }

    /** A requested tree size checked against the latest checkpoint; 0 means that checkpoint (returned too). */
    private Uni<ResolvedSize> resolve(long requested) {
        return checkpoint().map(newest -> {
            if (requested == 0) {
                return new ResolvedSize(newest.treeSize(), newest);
            }
            if (requested > newest.treeSize()) {
                throw outOfRange("tree size " + requested + " is above the latest checkpoint's " + newest.treeSize());
            }
            return new ResolvedSize(requested, null);
        });
    }

    /** Reads the subtrees {@code plan} touches in one query, then runs {@code compute} on them. */
    private <T> Uni<T> read(Consumer<PerfectSubtrees> plan, Function<PerfectSubtrees, T> compute) {
        return proofs.read(LogProofRepository.NO_LEAF, ProofPlan.nodesRead(plan))
                .map(rows -> compute.apply(ProofPlan.from(rows.nodes())));
    }

    private static RuntimeException outOfRange(String message) {
        return ERRORS.status(Code.OUT_OF_RANGE, ErrorReason.ERROR_REASON_TREE_SIZE_OUT_OF_RANGE, message,
                Map.of());
    }

    private record ResolvedSize(long treeSize, SignedCheckpoint checkpoint) {
    }

    /** An inclusion proof; {@code checkpoint} is set when the latest checkpoint's size was used. */
    public record InclusionProof(long leafIndex, long treeSize, byte[] leafData, byte[] leafHash, List<byte[]> path,
            byte[] root, SignedCheckpoint checkpoint) {
    }

    /** A consistency proof; {@code checkpoint} is set when the latest checkpoint's size was used. */
    public record ConsistencyProof(long firstSize, long secondSize, List<byte[]> proof, byte[] firstRoot,
            byte[] secondRoot, SignedCheckpoint checkpoint) {
    }
}
