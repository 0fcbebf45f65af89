package io.tribute.attribution.service;

import io.tribute.attribution.engine.AttributionResult;
import io.tribute.attribution.engine.ContributorShare;
import io.tribute.attribution.engine.Fraction;
import io.tribute.attribution.engine.LineageNode;
import io.tribute.attribution.engine.PathCredit;
import io.tribute.attribution.engine.Role;
import io.tribute.attribution.mapping.RegistryLineages;
import io.tribute.attribution.repository.AttributionBatchRepository.AssetRow;
import io.tribute.attribution.repository.AttributionBatchRepository.ShareRow;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.ShareExplanation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Turns the engine's result into the proto shares (explanations truncated) and the rows queries read. */
final class AttributionResults {

    private static final BigInteger PPT = BigInteger.TEN.pow(12);

    private AttributionResults() {
    }

    static List<AttributionShare> shares(AttributionResult result, int maxExplanations) {
        List<AttributionShare> shares = new ArrayList<>();
        for (ContributorShare share : result.shares()) {
            AttributionShare.Builder builder = AttributionShare.newBuilder()
                    .setContributorId(share.contributorId())
                    .setSharePpm((int) share.sharePpm());
            Fraction omitted = Fraction.ZERO;
            for (int i = 0; i < share.paths().size(); i++) {
                PathCredit path = share.paths().get(i);
                if (i < maxExplanations) {
                    builder.addExplanations(ShareExplanation.newBuilder()
                            .setRole(RegistryLineages.role(path.role()))
                            .addAllAssetPath(path.assetPath())
                            .setContributionPpt(path.contributionPpt())
                            .setViaDatasetItems(path.viaDatasetItems()));
                } else {
                    omitted = omitted.add(path.value());
                }
            }
            int omittedCount = Math.max(0, share.paths().size() - maxExplanations);
            shares.add(builder.setOmittedPathCount(omittedCount)
                    .setOmittedContributionPpt(omitted.floorTimes(PPT).longValueExact()).build());
        }
        return shares;
    }

    /** Per contributor with a share and per role: the share and the value (ppt) that came through the role. */
    static List<ShareRow> shareRows(AttributionResult result) {
        List<ShareRow> rows = new ArrayList<>();
        for (ContributorShare share : result.shares()) {
            Map<Role, Fraction> byRole = new TreeMap<>();
            for (PathCredit path : share.paths()) {
                byRole.merge(path.role(), path.value(), Fraction::add);
            }
            byRole.forEach((role, value) -> rows.add(new ShareRow(UUID.fromString(share.contributorId()),
                    roleNumber(role), (int) share.sharePpm(), value.floorTimes(PPT).longValueExact())));
        }
        return rows;
    }

    /** Per asset on any path and per role: the value (ppt) credited to it (0 if it was only passed through). */
    static List<AssetRow> assetRows(AttributionResult result, Map<String, LineageNode> nodes,
            List<Map.Entry<String, Role>> outputAssets) {
        Map<String, Map<Role, Fraction>> values = new TreeMap<>();
        for (var asset : outputAssets) {
            values.computeIfAbsent(asset.getKey(), id -> new TreeMap<>()).putIfAbsent(asset.getValue(), Fraction.ZERO);
        }
        for (PathCredit credit : result.credits()) {
            for (String asset : credit.assetPath()) {
                values.computeIfAbsent(asset, id -> new TreeMap<>()).putIfAbsent(credit.role(), Fraction.ZERO);
            }
            values.get(credit.assetId()).merge(credit.role(), credit.value(), Fraction::add);
        }
        List<AssetRow> rows = new ArrayList<>();
        values.forEach((asset, byRole) -> byRole.forEach((role, value) -> rows.add(new AssetRow(UUID.fromString(asset),
                roleNumber(role), (short) RegistryLineages.kind(nodes.get(asset).kind()).getNumber(),
                value.floorTimes(PPT).longValueExact()))));
        return rows;
    }

    static short roleNumber(Role role) {
        return (short) RegistryLineages.role(role).getNumber();
    }
}
