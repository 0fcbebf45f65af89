package io.tribute.attribution;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/** One immutable version of an attribution policy: role weights and the rules of the royalty walk. */
@Entity
@Table(name = "policy_version")
@IdClass(PolicyVersion.Key.class)
public class PolicyVersion extends PanacheEntityBase {

    /** The policy whose versions exist from the first migration and that applies when none is named. */
    public static final UUID DEFAULT_POLICY_ID = UUID.fromString("00000000-0000-7000-8000-000000000000");

    @Id
    @Column(name = "policy_id")
    public UUID policyId;

    @Id
    public int version;

    public String name;
    public String description;

    @Column(name = "training_data_ppm")
    public int trainingDataPpm;

    @Column(name = "architecture_ppm")
    public int architecturePpm;

    @Column(name = "model_builders_ppm")
    public int modelBuildersPpm;

    @Column(name = "prompt_ppm")
    public int promptPpm;

    @Column(name = "review_ppm")
    public int reviewPpm;

    @Column(name = "finetune_upstream_share_ppm")
    public int finetuneUpstreamSharePpm;

    @Column(name = "depth_limit")
    public int depthLimit;

    @Column(name = "minimum_share_ppm")
    public int minimumSharePpm;

    @Column(name = "dataset_item_fraction_ppm")
    public int datasetItemFractionPpm;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public boolean isDefault() {
        return DEFAULT_POLICY_ID.equals(policyId);
    }

    /** Composite primary key: policy id and version. */
    public static class Key implements Serializable {
        public UUID policyId;
        public int version;

        public Key() {
        }

        public Key(UUID policyId, int version) {
            this.policyId = policyId;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(policyId, key.policyId) && version == key.version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(policyId, version);
        }
    }
}
