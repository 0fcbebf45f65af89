package io.tribute.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.AssetParent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What register computes locally: content hashes, dataset roots, creators and parents. */
class RegisterCommandTest {

    @Test
    void fileHashIsItsSha256(@TempDir Path directory) throws Exception {
        Path file = Files.write(directory.resolve("abc"), "abc".getBytes(StandardCharsets.UTF_8));

        assertThat(RegisterCommand.sha256Of(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void datasetRootDoesNotDependOnMemberOrder() {
        String a = "1".repeat(64);
        String b = "2".repeat(64);
        String c = "3".repeat(64);

        assertThat(RegisterCommand.datasetRoot(List.of(c, a, b))).isEqualTo(RegisterCommand.datasetRoot(List.of(a, b, c)))
                .hasSize(64).isNotEqualTo(RegisterCommand.datasetRoot(List.of(a, b)));
    }

    @Test
    void creatorsAndParentsAreParsed() {
        assertThat(RegisterCommand.parseCreators(List.of("only")).getFirst().getSharePpm()).isEqualTo(1_000_000);
        assertThat(RegisterCommand.parseCreators(List.of("a=600000", "b=400000")))
                .extracting(share -> share.getContributorId() + "=" + share.getSharePpm())
                .containsExactly("a=600000", "b=400000");

        AssetParent parent = RegisterCommand.parseParent("d:trained_on:250000");

        assertThat(parent.getParentAssetId()).isEqualTo("d");
        assertThat(parent.getEdgeType()).isEqualTo(EdgeType.EDGE_TYPE_TRAINED_ON);
        assertThat(parent.getWeightPpm()).isEqualTo(250_000);
    }
}
