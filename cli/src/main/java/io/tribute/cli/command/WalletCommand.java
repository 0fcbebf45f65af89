package io.tribute.cli.command;

import io.tribute.cli.CliFailure;
import io.tribute.cli.ExitCodes;
import io.tribute.cli.client.ServiceClients;
import io.tribute.cli.wallet.WalletKey;
import io.tribute.common.Ids;
import io.tribute.registry.v1.BindWalletRequest;
import io.tribute.registry.v1.BindWalletResponse;
import io.tribute.registry.v1.CreateWalletChallengeRequest;
import io.tribute.registry.v1.WalletChallenge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tribute wallet bind}. */
@Command(name = "wallet", description = "Bind payout wallets.", subcommands = WalletCommand.BindCommand.class)
public final class WalletCommand {

    private WalletCommand() {
    }

    /** {@code tribute wallet bind}: CreateWalletChallenge, EIP-191 personal_sign, BindWallet. */
    @Command(name = "bind", mixinStandardHelpOptions = true,
            description = {"Bind a wallet as a contributor's payout account, proven by the wallet's signature: asks the "
                    + "registry for a one-time challenge, signs it with the key (EIP-191 personal_sign, locally: the key "
                    + "never leaves this machine) and sends the signature.",
                "Replacing a bound wallet also needs the old wallet's signature (--old-key-file)."})
    static final class BindCommand extends ServiceCommand {

        @Option(names = "--contributor", required = true, paramLabel = "<id>", description = "The contributor's id.")
        String contributorId;

        @Option(names = "--key-file", required = true, paramLabel = "<path>",
                description = "A file holding the new wallet's private key: 64 hex digits, optionally 0x-prefixed.")
        Path keyFile;

        @Option(names = "--old-key-file", paramLabel = "<path>",
                description = "When replacing a bound wallet: the old wallet's private key file.")
        Path oldKeyFile;

        @Option(names = "--chain-id", paramLabel = "<n>", defaultValue = "${env:TRIBUTE_CHAIN_ID:-31337}",
                description = "The EVM chain id of the account (default: ${DEFAULT-VALUE}).")
        long chainId;

        @Override
        public Integer call() {
            WalletKey key = readKey(keyFile);
            BindWalletResponse response = bind(clients(), contributorId, key, oldKeyFile == null ? null : readKey(oldKeyFile),
                    chainId);
            output().print(response, () -> output().line("bound %s to contributor %s (%s)",
                    response.getContributor().getPayoutAccount(), contributorId,
                    response.getBinding().getMethod().name().substring("WALLET_BINDING_METHOD_".length()).toLowerCase()
                            .replace('_', ' ')));
            return ExitCodes.OK;
        }
    }

    /** Proves control of {@code key}'s account by signing a fresh challenge, and binds it. */
    public static BindWalletResponse bind(ServiceClients clients, String contributorId, WalletKey key, WalletKey oldKey,
            long chainId) {
        WalletChallenge challenge = clients.registry().createWalletChallenge(CreateWalletChallengeRequest.newBuilder()
                .setRequestId(Ids.newId().toString()).setContributorId(contributorId).setAccount(key.account(chainId))
                .build()).getChallenge();
        BindWalletRequest.Builder bind = BindWalletRequest.newBuilder().setRequestId(Ids.newId().toString())
                .setContributorId(contributorId).setChallengeId(challenge.getId())
                .setSignature(key.personalSign(challenge.getMessage()));
        if (oldKey != null) {
            bind.setOldWalletSignature(oldKey.personalSign(challenge.getMessage()));
        }
        return clients.registry().bindWallet(bind.build());
    }

    static WalletKey readKey(Path file) {
        try {
            return WalletKey.fromHex(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no such key file: " + file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, file + ": " + e.getMessage());
        }
    }
}
