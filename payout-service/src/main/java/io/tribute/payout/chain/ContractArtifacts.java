package io.tribute.payout.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The contracts the build compiled from src/main/solidity (classpath {@code contracts/<Name>.json}). */
public final class ContractArtifacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractArtifacts() {
    }

    /** The creation bytecode ("0x..."), as solc produced it. */
    public static String bytecode(String contractName) {
        String resource = "contracts/" + contractName + ".json";
        try (InputStream in = ContractArtifacts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: the build compiles it from src/main/solidity");
            }
            return JSON.readTree(in).get("bytecode").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
