package io.tribute.registry.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.tribute.registry.WalletChallenge;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Stores wallet challenges. */
@ApplicationScoped
public class WalletChallengeRepository implements PanacheRepositoryBase<WalletChallenge, UUID> {
}
