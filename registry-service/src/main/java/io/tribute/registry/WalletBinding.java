package io.tribute.registry;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One change of a contributor's payout wallet, kept forever as evidence. */
@Entity
@Table(name = "wallet_binding")
public class WalletBinding extends PanacheEntityBase {

    /** First binding: signed by the new wallet. */
    public static final String NEW_WALLET_SIGNATURE = "NEW_WALLET_SIGNATURE";
    /** Rebinding signed by the new and the old wallet. */
    public static final String OLD_AND_NEW_WALLET_SIGNATURES = "OLD_AND_NEW_WALLET_SIGNATURES";
    /** Rebinding signed by the new wallet, the old one replaced by an operator with a reason. */
    public static final String OPERATOR_OVERRIDE = "OPERATOR_OVERRIDE";

    @Id
    public UUID id;

    @Column(name = "contributor_id", nullable = false)
    public UUID contributorId;

    /** CAIP-10 account bound by this change. */
    @Column(nullable = false)
    public String account;

    /** CAIP-10 account this change replaced; null for a first binding. */
    @Column(name = "replaced_account")
    public String replacedAccount;

    /** One of the method constants above. */
    @Column(nullable = false)
    public String method;

    @Column(name = "challenge_id", nullable = false)
    public UUID challengeId;

    @Column(nullable = false)
    public String signature;

    @Column(name = "old_wallet_signature")
    public String oldWalletSignature;

    @Column
    public String operator;

    @Column
    public String reason;

    @Column(name = "request_id", nullable = false)
    public String requestId;

    @Column(name = "bound_at", nullable = false)
    public OffsetDateTime boundAt;

    /** When a later binding replaced this one; null while current. */
    @Column(name = "unbound_at")
    public OffsetDateTime unboundAt;
}
