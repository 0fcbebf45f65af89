package io.tribute.cli.output;

import com.google.protobuf.ProtocolMessageEnum;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionShare;
import io.tribute.attribution.v1.ShareExplanation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Readable renderings of Tribute's values: ppm as percentages, enum names without prefixes, attributions. */
public final class Formats {

    private static final BigDecimal PPM_PER_PERCENT = BigDecimal.valueOf(10_000);
    private static final BigDecimal PPT_PER_PPM = BigDecimal.valueOf(1_000_000);

    private Formats() {
    }

    /** 312500 → "312,500 ppm (31.2500%)". */
    public static String ppm(long ppm) {
        return String.format(Locale.ROOT, "%,d ppm (%s%%)", ppm,
                BigDecimal.valueOf(ppm).divide(PPM_PER_PERCENT, 4, RoundingMode.DOWN).toPlainString());
    }

    /** Parts per 10^12 as ppm, exact to six decimals: 123456789 → "123.456789 ppm", 168000000000 → "168,000 ppm". */
    public static String ppt(long ppt) {
        BigDecimal ppm = BigDecimal.valueOf(ppt).divide(PPT_PER_PPM, 6, RoundingMode.DOWN).stripTrailingZeros();
        String fraction = ppm.scale() > 0 ? ppm.toPlainString().substring(ppm.toPlainString().indexOf('.')) : "";
        return String.format(Locale.ROOT, "%,d%s ppm", ppm.toBigInteger(), fraction);
    }

    /** ROLE_TRAINING_DATA → "training data". */
    public static String name(ProtocolMessageEnum value, String prefix) {
        String name = value.getValueDescriptor().getName();
        return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** An attribution with its shares and the paths that explain each share. */
    public static List<String> attribution(Attribution attribution, Function<String, String> contributorNames,
            Function<String, String> assetNames) {
        List<String> lines = new ArrayList<>();
        lines.add("attribution " + attribution.getId() + "  (log index " + attribution.getLogIndex() + ", policy "
                + attribution.getPolicyId() + " v" + attribution.getPolicyVersion() + ", engine "
                + attribution.getEngineVersion() + ")");
        lines.add("  output sha256    " + attribution.getOutput().getContentSha256());
        lines.add("  model            " + assetNames.apply(attribution.getOutput().getModelAssetId()));
        if (!attribution.getOutput().getPromptAssetId().isEmpty()) {
            lines.add("  prompt           " + assetNames.apply(attribution.getOutput().getPromptAssetId()));
        }
        if (attribution.getOutput().getReviewAssetIdsCount() > 0) {
            lines.add("  reviews          " + attribution.getOutput().getReviewAssetIdsList().stream()
                    .map(assetNames).collect(Collectors.joining(", ")));
        }
        if (attribution.getInfluenceScoreCount() > 0) {
            lines.add("  evidence         " + attribution.getEvidenceMethod() + " " + attribution.getEvidenceMethodVersion()
                    + " (" + attribution.getInfluenceScoreCount() + " influence scores)");
        }
        lines.add("  attribution hash " + attribution.getAttributionHash());
        long sum = attribution.getSharesList().stream().mapToLong(AttributionShare::getSharePpm).sum();
        lines.add("  shares (sum " + String.format(Locale.ROOT, "%,d", sum) + " ppm):");
        for (AttributionShare share : attribution.getSharesList()) {
            lines.add(String.format(Locale.ROOT, "    %-28s %s", contributorNames.apply(share.getContributorId()),
                    ppm(share.getSharePpm())));
            for (ShareExplanation explanation : share.getExplanationsList()) {
                lines.add(String.format(Locale.ROOT, "        %-14s %-20s via %s%s", name(explanation.getRole(), "ROLE_"),
                        ppt(explanation.getContributionPpt()),
                        explanation.getAssetPathList().stream().map(assetNames).collect(Collectors.joining(" → ")),
                        explanation.getViaDatasetItems() ? " (its items)" : ""));
            }
            if (share.getOmittedPathCount() > 0) {
                lines.add("        … " + share.getOmittedPathCount() + " more paths, " + ppt(share.getOmittedContributionPpt()));
            }
        }
        return lines;
    }
}
