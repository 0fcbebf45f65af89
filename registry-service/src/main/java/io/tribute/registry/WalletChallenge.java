package io.tribute.registry;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A one-time EIP-191 message that a wallet signs to be bound to a contributor. */
@Entity
@Table(name = "wallet_challenge")
public class WalletChallenge extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "contributor_id", nullable = false)
    public UUID contributorId;

    /** CAIP-10 account to bind, EIP-55 checksummed. */
    @Column(nullable = false)
    public String account;

    /** The account bound when the challenge was issued; null if none. */
    @Column(name = "replaces_account")
    public String replacesAccount;

    @Column(nullable = false)
    public String nonce;

    /** The exact text to sign. */
    @Column(nullable = false)
    public String message;

    @Column(name = "issued_at", nullable = false)
    public OffsetDateTime issuedAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    /** When BindWallet consumed the challenge; null while unused. */
    @Column(name = "used_at")
    public OffsetDateTime usedAt;
}
