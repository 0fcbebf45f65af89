package io.tribute.payout;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One settlement of one currency: what was planned to be paid on-chain, and how far it got. */
@Entity
@Table(name = "settlement")
public class Settlement extends PanacheEntityBase {

    /** Where a settlement stands; SETTLED and FAILED are final. */
    public enum State {
        PLANNED, BROADCASTING, CONFIRMING, SETTLED, FAILED, UNKNOWN;

        public boolean isFinal() {
            return this == SETTLED || this == FAILED;
        }
    }

    @Id
    public UUID id;

    @Column(name = "request_id", nullable = false, unique = true)
    public String requestId;

    public String currency;

    @Column(name = "minimum_amount")
    public BigInteger minimumAmount;

    @Column(name = "max_recipients_per_batch")
    public int maxRecipientsPerBatch;

    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "chain_id")
    public String chainId;

    /** The TributePayouts contract as CAIP-10; null while none is deployed. */
    public String contract;

    @Column(name = "total_amount")
    public BigInteger totalAmount;

    @Column(name = "paid_amount")
    public BigInteger paidAmount;

    @Column(name = "recipient_count")
    public int recipientCount;

    @Column(name = "batch_count")
    public int batchCount;

    @Column(name = "skipped_count")
    public int skippedCount;

    @Column(name = "skipped_amount")
    public BigInteger skippedAmount;

    @Column(name = "checkpoint_tree_size")
    public Long checkpointTreeSize;

    /** The attribution log root paid against (64 lowercase hex digits); null when nothing was paid. */
    @Column(name = "checkpoint_root")
    public String checkpointRoot;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
}
