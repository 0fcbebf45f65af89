package io.tribute.cli.command;

import io.tribute.cli.CliFailure;
import io.tribute.cli.ExitCodes;
import io.tribute.common.Ids;
import io.tribute.common.Sha256;
import io.tribute.common.merkle.MerkleTree;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.Contributor;
import io.tribute.registry.v1.CreateContributorRequest;
import io.tribute.registry.v1.CreateContributorResponse;
import io.tribute.registry.v1.RegisterAssetRequest;
import io.tribute.registry.v1.RegisterAssetResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tribute register contributor|asset}. */
@Command(name = "register", description = "Register a contributor or an asset.",
        subcommands = {RegisterCommand.ContributorCommand.class, RegisterCommand.AssetCommand.class})
public final class RegisterCommand {

    /** {@code tribute register contributor}: CreateContributor. */
    @Command(name = "contributor", mixinStandardHelpOptions = true,
            description = "Create a contributor (a person or organisation that can be credited and paid).")
    static final class ContributorCommand extends ServiceCommand {

        @Option(names = "--name", required = true, description = "Display name, 1..200 characters.")
        String name;

        @Option(names = "--external-ref", required = true,
                description = "The platform's own id for this person (unique), 1..256 characters.")
        String externalRef;

        @Option(names = "--request-id", description = "Idempotency key (UUID); default: a new one. Reuse it to retry safely.")
        String requestId;

        @Override
        public Integer call() {
            CreateContributorRequest request = CreateContributorRequest.newBuilder()
                    .setRequestId(requestId != null ? requestId : Ids.newId().toString())
                    .setContributor(Contributor.newBuilder().setDisplayName(name).setExternalRef(externalRef))
                    .build();
            CreateContributorResponse response = clients().registry().createContributor(request);
            output().print(response, () -> output().line("contributor %s  %s (%s)  request id %s",
                    response.getContributor().getId(), response.getContributor().getDisplayName(),
                    response.getContributor().getExternalRef(), request.getRequestId()));
            return ExitCodes.OK;
        }
    }

    /** {@code tribute register asset}: RegisterAsset with the content hash computed locally. */
    @Command(name = "asset", mixinStandardHelpOptions = true,
            description = {"Register an asset: its SHA-256 is computed here from --file (the file is not uploaded).",
                "A DATASET takes its members' hashes (--member) instead of a file: its hash is their RFC 9162 Merkle root."},
            footer = {"", "Example:",
                "  tribute register asset --file model.safetensors --kind MODEL --creator <id>=700000 --creator <id>=300000 \\",
                "      --parent <dataset id>:TRAINED_ON --parent <architecture id>:USES_ARCHITECTURE"})
    static final class AssetCommand extends ServiceCommand {

        @Option(names = "--file", paramLabel = "<path>", description = "The content (hashed locally; not sent).")
        Path file;

        @Option(names = "--kind", required = true, paramLabel = "<kind>",
                description = "DATA_ITEM, DATASET, MODEL_ARCHITECTURE, MODEL, PARAMETER_ADJUSTMENT, PROMPT or REVIEW.")
        String kind;

        @Option(names = "--creator", required = true, paramLabel = "<contributor id>[=<ppm>]",
                description = "A creator and its share in ppm (repeat; shares sum to 1,000,000; one creator alone may omit it).")
        List<String> creators;

        @Option(names = "--parent", paramLabel = "<asset id>:<edge>[:<weight ppm>]",
                description = "A parent with its edge type: TRAINED_ON, FINETUNED_FROM, USES_ARCHITECTURE, ADJUSTED_WITH, "
                        + "DERIVED_FROM (repeat).")
        List<String> parents = new ArrayList<>();

        @Option(names = "--member", paramLabel = "<sha256>", description = "DATASET only: a member item's sha256 (repeat).")
        List<String> members = new ArrayList<>();

        @Option(names = "--display-name", description = "Human-readable name.")
        String displayName = "";

        @Option(names = "--media-type", description = "Media type, e.g. text/plain; charset=utf-8.")
        String mediaType = "";

        @Option(names = "--license", description = "SPDX license expression, e.g. CC-BY-4.0.")
        String license = "";

        @Option(names = "--uri", description = "Where the content can be fetched (informative).")
        String uri = "";

        @Option(names = "--attribute", paramLabel = "<key>=<value>", description = "A descriptive attribute (repeat).")
        Map<String, String> attributes = new TreeMap<>();

        @Option(names = "--request-id", description = "Idempotency key (UUID); default: a new one.")
        String requestId;

        @Override
        public Integer call() {
            AssetKind assetKind = parseKind(kind);
            Asset.Builder asset = Asset.newBuilder().setKind(assetKind).setDisplayName(displayName)
                    .setMediaType(mediaType).setLicense(license).setUri(uri).putAllAttributes(attributes)
                    .addAllCreators(parseCreators(creators));
            parents.forEach(parent -> asset.addParents(parseParent(parent)));
            RegisterAssetRequest.Builder request = RegisterAssetRequest.newBuilder()
                    .setRequestId(requestId != null ? requestId : Ids.newId().toString());
            if (assetKind == AssetKind.ASSET_KIND_DATASET) {
                if (members.isEmpty()) {
                    throw new CliFailure(ExitCodes.USAGE, "a DATASET needs its members: --member <sha256> (repeat)");
                }
                asset.setSha256(datasetRoot(members));
                request.addAllDatasetMemberSha256(members);
            } else {
                if (file == null) {
                    throw new CliFailure(ExitCodes.USAGE, "--file is required for a " + kind);
                }
                asset.setSha256(sha256Of(file)).setSizeBytes(sizeOf(file));
            }
            RegisterAssetResponse response = clients().registry().registerAsset(request.setAsset(asset).build());
            output().print(response, () -> output().line("%s %s %s  sha256 %s  request id %s",
                    response.getCreated() ? "registered" : "already registered",
                    response.getAsset().getKind().name().substring("ASSET_KIND_".length()), response.getAsset().getId(),
                    response.getAsset().getSha256(), request.getRequestId()));
            return ExitCodes.OK;
        }
    }

    private RegisterCommand() {
    }

    static AssetKind parseKind(String kind) {
        String name = kind.toUpperCase().replace('-', '_');
        try {
            AssetKind value = AssetKind.valueOf(name.startsWith("ASSET_KIND_") ? name : "ASSET_KIND_" + name);
            if (value != AssetKind.ASSET_KIND_UNSPECIFIED && value != AssetKind.UNRECOGNIZED) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // Reported below with the valid names.
        }
        throw new CliFailure(ExitCodes.USAGE, "unknown kind '" + kind
                + "' (DATA_ITEM, DATASET, MODEL_ARCHITECTURE, MODEL, PARAMETER_ADJUSTMENT, PROMPT, REVIEW)");
    }

    static List<CreatorShare> parseCreators(List<String> creators) {
        List<CreatorShare> shares = new ArrayList<>();
        for (String creator : creators) {
            int equals = creator.indexOf('=');
            if (equals < 0 && creators.size() > 1) {
                throw new CliFailure(ExitCodes.USAGE, "with several creators each needs its share: --creator <id>=<ppm>");
            }
            try {
                shares.add(CreatorShare.newBuilder()
                        .setContributorId(equals < 0 ? creator : creator.substring(0, equals))
                        .setSharePpm(equals < 0 ? 1_000_000 : Integer.parseUnsignedInt(creator.substring(equals + 1)))
                        .build());
            } catch (NumberFormatException e) {
                throw new CliFailure(ExitCodes.USAGE, "'" + creator + "': a share is a whole number of ppm");
            }
        }
        return shares;
    }

    static AssetParent parseParent(String parent) {
        String[] parts = parent.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new CliFailure(ExitCodes.USAGE, "'" + parent + "': a parent is <asset id>:<edge>[:<weight ppm>]");
        }
        try {
            String edge = parts[1].toUpperCase();
            AssetParent.Builder builder = AssetParent.newBuilder().setParentAssetId(parts[0])
                    .setEdgeType(EdgeType.valueOf(edge.startsWith("EDGE_TYPE_") ? edge : "EDGE_TYPE_" + edge));
            if (parts.length == 3) {
                builder.setWeightPpm(Integer.parseUnsignedInt(parts[2]));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "'" + parent + "': unknown edge type or weight (edges: TRAINED_ON, "
                    + "FINETUNED_FROM, USES_ARCHITECTURE, ADJUSTED_WITH, DERIVED_FROM)");
        }
    }

    /** The RFC 9162 Merkle root over the members' hashes in ascending order (a DATASET's sha256). */
    public static String datasetRoot(List<String> memberSha256) {
        HexFormat hex = HexFormat.of();
        List<byte[]> leaves = memberSha256.stream().sorted().map(hex::parseHex).toList();
        return hex.formatHex(MerkleTree.ofLeaves(leaves).root());
    }

    static String sha256Of(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), Sha256.newDigest())) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no such file: " + file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
