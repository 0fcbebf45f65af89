package io.tribute.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Wallet keys: EIP-55 addresses, CAIP-10 accounts, and personal_sign signatures that recover to the address. */
class WalletKeyTest {

    private static final String ANVIL_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    @Test
    void knownKeyHasItsKnownChecksummedAddress() {
        WalletKey key = WalletKey.fromHex(ANVIL_KEY + "\n");

        assertThat(key.address()).isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assertThat(key.account(31337)).isEqualTo("eip155:31337:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    }

    @Test
    void personalSignRecoversToTheAddress() throws Exception {
        WalletKey key = WalletKey.generate();
        String message = "Tribute wallet binding\nContributor: c\nNonce: 00\n";

        byte[] signature = HexFormat.of().parseHex(key.personalSign(message).substring(2));

        assertThat(signature).hasSize(65);
        assertThat(signature[64]).isIn((byte) 27, (byte) 28);
        Sign.SignatureData data = new Sign.SignatureData(signature[64], Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
        String recovered = Keys.toChecksumAddress(Keys.getAddress(
                Sign.signedPrefixedMessageToKey(message.getBytes(StandardCharsets.UTF_8), data)));
        assertThat(recovered).isEqualTo(key.address());
    }

    @Test
    void malformedKeyIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> WalletKey.fromHex("0x1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("1234");
    }
}
