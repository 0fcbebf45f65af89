package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.rpc.Code;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.LogGrowth;
import io.tribute.attribution.log.NodeKey;
import io.tribute.attribution.log.ProofPlan;
import io.tribute.attribution.log.SignedCheckpoint;
import io.tribute.attribution.repository.TransparencyLogRepository;
import io.tribute.common.merkle.MerkleProofs;
import io.tribute.common.merkle.PerfectSubtrees;
import io.tribute.common.v1.ErrorReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    private final TransparencyLogRepository log;
    private final CheckpointSigner signer;
    private final Duration checkpointInterval;
    private final Clock clock = Clock.systemUTC();

    public TransparencyLog(TransparencyLogRepository log, CheckpointSigner signer,
            @ConfigProperty(name = "tribute.attribution.log.checkpoint-interval") Duration checkpointInterval) {
        this.log = log;
        this.signer = signer;
        this.checkpointInterval = checkpointInterval;
    }

    /**
     * Appends leaves (each the 32-byte data of one leaf) in the caller's transaction, or in a transaction of
     * its own, and returns the index of the first. Appends queue on a lock held until commit, so indexes
     * are dense and never reordered.
     */
    @WithTransaction
    public Uni<Long> append(List<byte[]> leafData) {
        return log.lockForAppend().chain(size -> log.nodes(LogGrowth.frontier(size))
                .chain(frontier -> log.insert(size, leafData, LogGrowth.newNodes(size, frontier, leafData)))
                .replaceWith(size));
    }

    /**
     * Takes the append lock for the rest of the caller's transaction (appends of that transaction take it
     * again, which is free): what the caller reads after it cannot change until it commits.
     */
    @WithTransaction
    public Uni<Long> lockForAppend() {
        return log.lockForAppend();
    }

    /** The data of leaf {@code index}, or null when the log has no such leaf. */
    @WithSession
    public Uni<byte[]> leafData(long index) {
        return log.leafData(index);
    }

    /** The latest checkpoint, after signing a new one if the log has grown and the interval has passed. */
    @WithTransaction
    public Uni<SignedCheckpoint> checkpoint() {
        return log.latestCheckpoint().chain(latest -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (latest != null && latest.timestamp().plus(checkpointInterval).isAfter(now)) {
                return Uni.createFrom().item(latest);
            }
            return log.treeSize().chain(size -> {
                if (latest != null && latest.treeSize() >= size) {
                    return Uni.createFrom().item(latest);
                }
                return read(tree -> MerkleProofs.root(tree, size), tree -> MerkleProofs.root(tree, size))
                        .map(root -> signer.sign(size, root, now))
                        .call(log::insertCheckpoint)
                        .chain(log::latestCheckpoint);
            });
        });
    }

    /** RFC 9162 inclusion proof of leaf {@code index} in the tree of {@code treeSize} (0 = latest checkpoint). */
    @WithTransaction
    public Uni<InclusionProof> inclusionProof(long index, long treeSize) {
        return resolve(treeSize).chain(resolved -> {
            long size = resolved.treeSize();
            if (index >= size) {
                throw outOfRange("leaf " + index + " is not covered by the tree of " + size
                        + " leaves (yet: retry after the checkpoint interval)");
            }
            return log.leafData(index).chain(leafData -> read(
                    tree -> {
                        tree.hash(0, index);
                        MerkleProofs.inclusionPath(tree, index, size);
                        MerkleProofs.root(tree, size);
                    },
                    tree -> new InclusionProof(index, size, leafData, tree.hash(0, index),
                            MerkleProofs.inclusionPath(tree, index, size), MerkleProofs.root(tree, size),
                            resolved.checkpoint())));
        });
    }

    /** RFC 9162 consistency proof from {@code first} to {@code second} leaves (second 0 = latest checkpoint). */
    @WithTransaction
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
        return checkpoint().map(latest -> {
            if (requested == 0) {
                return new ResolvedSize(latest.treeSize(), latest);
            }
            if (requested > latest.treeSize()) {
                throw outOfRange("tree size " + requested + " is above the latest checkpoint's " + latest.treeSize());
            }
            return new ResolvedSize(requested, null);
        });
    }

    /** Reads the subtrees {@code plan} touches in one query, then runs {@code compute} on them. */
    private <T> Uni<T> read(Consumer<PerfectSubtrees> plan, Function<PerfectSubtrees, T> compute) {
        Set<NodeKey> keys = ProofPlan.nodesRead(plan);
        return log.nodes(keys).map((Map<NodeKey, byte[]> nodes) -> compute.apply(ProofPlan.from(nodes)));
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
