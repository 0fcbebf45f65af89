package io.tribute.registry.service;

import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.config.AssetSettings;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.RegisterAssetRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks everything about a registration that needs no database: formats, counts, sums. */
@ApplicationScoped
public class AssetValidator {

    static final long PPM_TOTAL = 1_000_000;
    private static final int MAX_MEDIA_TYPE = 255;
    private static final int MAX_URI = 2048;
    private static final int MAX_LICENSE = 256;
    private static final int MAX_DISPLAY_NAME = 200;
    private static final int MAX_ATTRIBUTE_VALUE = 1024;
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z0-9._/-]{1,128}");
    private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:\\S+");

    private final AssetSettings settings;

    public AssetValidator(AssetSettings settings) {
        this.settings = settings;
    }

    public static boolean isSha256(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The violations of one registration whose complete member list may hold up to {@code maxMembers}. */
    public FieldViolations check(RegisterAssetRequest request, long maxMembers) {
        FieldViolations violations = new FieldViolations();
        violations.require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID");
        if (!request.hasAsset()) {
            return violations.add("asset", "is required");
        }
        Asset asset = request.getAsset();
        boolean knownKind = asset.getKind() != AssetKind.ASSET_KIND_UNSPECIFIED
                && asset.getKind() != AssetKind.UNRECOGNIZED;
        violations.require(knownKind, "asset.kind", "must be a known asset kind");
        violations.require(isSha256(asset.getSha256()), "asset.sha256", "must be 64 lowercase hex digits");
        violations.require(asset.getMediaType().length() <= MAX_MEDIA_TYPE, "asset.media_type",
                "must be at most " + MAX_MEDIA_TYPE + " characters");
        violations.require(asset.getUri().length() <= MAX_URI
                && (asset.getUri().isEmpty() || URI_SCHEME.matcher(asset.getUri()).matches()), "asset.uri",
                "must be an absolute URI of at most " + MAX_URI + " characters");
        violations.require(asset.getLicense().length() <= MAX_LICENSE
                && (asset.getLicense().isEmpty() || SpdxExpressions.isValid(asset.getLicense())), "asset.license",
                "must be an SPDX license expression of at most " + MAX_LICENSE + " characters");
        violations.require(asset.getDisplayName().length() <= MAX_DISPLAY_NAME, "asset.display_name",
                "must be at most " + MAX_DISPLAY_NAME + " characters");
        checkCreators(asset, violations);
        checkParents(asset, violations);
        checkAttributes(asset, violations);
        checkMembers(request, maxMembers, violations);
        return violations;
    }

    private void checkCreators(Asset asset, FieldViolations violations) {
        int count = asset.getCreatorsCount();
        violations.require(count >= 1 && count <= settings.maxCreatorsPerAsset(), "asset.creators",
                "must name 1 to " + settings.maxCreatorsPerAsset() + " creators (tribute.registry.max-creators-per-asset)");
        Set<String> seen = new HashSet<>();
        long sum = 0;
        for (int i = 0; i < count; i++) {
            CreatorShare creator = asset.getCreators(i);
            String field = "asset.creators[" + i + "]";
            violations.require(Ids.parseOrNull(creator.getContributorId()) != null, field + ".contributor_id",
                    "must be a UUID");
            violations.require(seen.add(creator.getContributorId()), field + ".contributor_id",
                    "names a creator twice");
            violations.require(creator.getSharePpm() >= 1 && creator.getSharePpm() <= PPM_TOTAL,
                    field + ".share_ppm", "must be 1 to 1,000,000");
            sum += creator.getSharePpm();
        }
        violations.require(count == 0 || sum == PPM_TOTAL, "asset.creators",
                "shares must sum to exactly 1,000,000 ppm, not " + sum);
    }

    private void checkParents(Asset asset, FieldViolations violations) {
        int count = asset.getParentsCount();
        violations.require(count <= settings.maxParentsPerAsset(), "asset.parents",
                "must name at most " + settings.maxParentsPerAsset() + " parents (tribute.registry.max-parents-per-asset)");
        Set<String> seen = new HashSet<>();
        long weightSum = 0;
        int trainedOn = 0;
        int weighted = 0;
        for (int i = 0; i < count; i++) {
            AssetParent parent = asset.getParents(i);
            String field = "asset.parents[" + i + "]";
            violations.require(Ids.parseOrNull(parent.getParentAssetId()) != null, field + ".parent_asset_id",
                    "must be a UUID");
            EdgeType edge = parent.getEdgeType();
            boolean declarable = edge != EdgeType.EDGE_TYPE_UNSPECIFIED && edge != EdgeType.UNRECOGNIZED
                    && edge != EdgeType.EDGE_TYPE_CONTAINS;
            violations.require(declarable, field + ".edge_type",
                    "must be a declarable edge type (CONTAINS is implied by dataset membership)");
            violations.require(seen.add(parent.getParentAssetId() + "/" + edge.getNumber()), field,
                    "names the same parent and edge type twice");
            if (edge == EdgeType.EDGE_TYPE_TRAINED_ON) {
                trainedOn++;
                violations.require(parent.getWeightPpm() <= PPM_TOTAL, field + ".weight_ppm",
                        "must be 0 to 1,000,000");
                if (parent.getWeightPpm() > 0) {
                    weighted++;
                    weightSum += parent.getWeightPpm();
                }
            } else {
                violations.require(parent.getWeightPpm() == 0, field + ".weight_ppm",
                        "only TRAINED_ON edges carry a weight");
            }
        }
        violations.require(weighted == 0 || (weighted == trainedOn && weightSum == PPM_TOTAL), "asset.parents",
                "TRAINED_ON weights must be all 0 or all positive and sum to exactly 1,000,000 ppm");
    }

    private void checkAttributes(Asset asset, FieldViolations violations) {
        violations.require(asset.getAttributesCount() <= settings.maxAttributesPerAsset(), "asset.attributes",
                "must hold at most " + settings.maxAttributesPerAsset() + " entries (tribute.registry.max-attributes-per-asset)");
        for (Map.Entry<String, String> attribute : asset.getAttributesMap().entrySet()) {
            String field = "asset.attributes[" + attribute.getKey() + "]";
            violations.require(ATTRIBUTE_KEY.matcher(attribute.getKey()).matches(), field,
                    "key must be 1 to 128 characters of [a-z0-9._/-]");
            violations.require(attribute.getValue().length() <= MAX_ATTRIBUTE_VALUE, field,
                    "value must be at most " + MAX_ATTRIBUTE_VALUE + " characters");
        }
    }

    private void checkMembers(RegisterAssetRequest request, long maxMembers, FieldViolations violations) {
        int count = request.getDatasetMemberSha256Count();
        if (request.getAsset().getKind() != AssetKind.ASSET_KIND_DATASET) {
            violations.require(count == 0, "dataset_member_sha256", "only a DATASET has members");
            return;
        }
        violations.require(count >= 1 && count <= maxMembers, "dataset_member_sha256",
                "must hold 1 to " + maxMembers + " members");
        for (int i = 0; i < count; i++) {
            if (!isSha256(request.getDatasetMemberSha256(i))) {
                violations.add("dataset_member_sha256[" + i + "]", "must be 64 lowercase hex digits");
                return;
            }
        }
    }
}
