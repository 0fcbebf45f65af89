package io.tribute.payout.config;

import io.tribute.payout.chain.ChainClient;
import io.tribute.payout.service.PayoutSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the one ChainClient from configuration (the key goes straight into it and nowhere else). */
public class ChainClientProducer {

    @Produces
    @Singleton
    ChainClient chainClient(PayoutSettings settings) {
        return new ChainClient(settings.chain().rpcUrl(), settings.chain().privateKey().orElse(null),
                settings.chain().timeout());
    }

    void close(@Disposes ChainClient client) {
        client.close();
    }
}
