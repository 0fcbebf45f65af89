package io.tribute.registry;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A person or organisation that can be credited and paid. */
@Entity
@Table(name = "contributor")
public class Contributor extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "external_ref", nullable = false, unique = true)
    public String externalRef;

    /** CAIP-10 account id of the bound wallet; null until a wallet is proven. */
    @Column(name = "payout_account")
    public String payoutAccount;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
