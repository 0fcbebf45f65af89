package io.tribute.attribution.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tribute.attribution.log.ProofPlan;
import io.tribute.attribution.log.SignedCheckpoint;
import io.tribute.attribution.repository.TransparencyLogRepository;
import io.tribute.common.merkle.MerkleProofs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads the latest checkpoint and signs a new one when the log has grown and the interval has passed. */
@ApplicationScoped
public class CheckpointPublisher {

    private final TransparencyLogRepository log;
    private final CheckpointSigner signer;
    private final Duration checkpointInterval;
    private final Clock clock = Clock.systemUTC();

    public CheckpointPublisher(TransparencyLogRepository log, CheckpointSigner signer,
            @ConfigProperty(name = "tribute.attribution.log.checkpoint-interval") Duration checkpointInterval) {
        this.log = log;
        this.signer = signer;
        this.checkpointInterval = checkpointInterval;
    }

    /** The latest checkpoint, after signing a new one if the log has grown and the interval has passed. */
    @WithTransaction
    public Uni<SignedCheckpoint> latest() {
        return log.latestCheckpoint().chain(latest -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (latest != null && latest.timestamp().plus(checkpointInterval).isAfter(now)) {
                return Uni.createFrom().item(latest);
            }
            return log.treeSize().chain(size -> {
                if (latest != null && latest.treeSize() >= size) {
                    return Uni.createFrom().item(latest);
                }
                return log.nodes(ProofPlan.nodesRead(tree -> MerkleProofs.root(tree, size)))
                        .map(nodes -> MerkleProofs.root(ProofPlan.from(nodes), size))
                        .map(root -> signer.sign(size, root, now))
                        .call(log::insertCheckpoint)
                        .chain(log::latestCheckpoint);
            });
        });
    }
}
