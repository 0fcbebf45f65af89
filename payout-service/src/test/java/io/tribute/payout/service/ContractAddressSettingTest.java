package io.tribute.payout.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContractAddressSettingTest {

    private static final String ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    @Test
    void aPlainAddressIsTakenAsItIs() {
        assertThat(settings("eip155:31337", ADDRESS).contractAddress()).contains(ADDRESS);
    }

    @Test
    void aCaip10AccountOnThisChainGivesItsAddress() {
        assertThat(settings("eip155:31337", "eip155:31337:" + ADDRESS).contractAddress()).contains(ADDRESS);
    }

    @Test
    void aCaip10AccountOnAnotherChainIsRefused() {
        assertThatThrownBy(() -> settings("eip155:1", "eip155:31337:" + ADDRESS).contractAddress())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("eip155:1");
    }

    @Test
    void noSettingMeansNoContract() {
        assertThat(settings("eip155:31337", null).contractAddress()).isEmpty();
    }

    private static PayoutSettings settings(String chainId, String contract) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "chainId" -> chainId;
            case "contract" -> Optional.ofNullable(contract);
            default -> method.isDefault()
                    ? InvocationHandler.invokeDefault(proxy, method, args)
                    : null;
        };
        return (PayoutSettings) Proxy.newProxyInstance(PayoutSettings.class.getClassLoader(),
                new Class<?>[] {PayoutSettings.class}, handler);
    }
}
