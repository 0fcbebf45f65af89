package io.tribute.attribution.service;

import static io.tribute.attribution.grpc.AttributionErrors.ERRORS;

import com.google.rpc.Code;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Evidence;
import io.tribute.attribution.v1.InfluenceScore;
import io.tribute.attribution.v1.Output;
import io.tribute.common.Ids;
import io.tribute.common.grpc.FieldViolations;
import io.tribute.common.v1.ErrorReason;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an AttributeOutputRequest completely (every violation listed) before anything is read or stored. */
final class AttributionRequestValidator {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final int MAX_PLATFORM_REF = 256;
    private static final int MAX_METHOD = 64;
    private static final int MAX_SIGNIFICANT_DIGITS = 40;
    private static final int MAX_EXPONENT = 60;

    private AttributionRequestValidator() {
    }

    /** @return the influence scores, parsed (empty without evidence) */
    static List<io.tribute.attribution.engine.InfluenceScore> check(AttributeOutputRequest request,
            int maxInfluenceScores, int maxReviewAssets) {
        Output output = request.getOutput();
        if (output.getReviewAssetIdsCount() > maxReviewAssets) {
            throw limit("output.review_asset_ids", "at most " + maxReviewAssets + " review assets");
        }
        if (request.getEvidence().getScoresCount() > maxInfluenceScores) {
            throw limit("evidence.scores", "at most " + maxInfluenceScores + " influence scores");
        }
        FieldViolations violations = new FieldViolations()
                .require(Ids.parseOrNull(request.getRequestId()) != null, "request_id", "must be a UUID")
                .require(request.hasOutput(), "output", "is required")
                .require(request.getPolicyId().isEmpty() || Ids.parseOrNull(request.getPolicyId()) != null,
                        "policy_id", "must be a UUID or empty");
        if (request.hasOutput()) {
            violations.require(SHA256.matcher(output.getContentSha256()).matches(), "output.content_sha256",
                            "must be 64 lowercase hex digits")
                    .require(Ids.parseOrNull(output.getModelAssetId()) != null, "output.model_asset_id",
                            "must be a UUID")
                    .require(output.getPromptAssetId().isEmpty() || Ids.parseOrNull(output.getPromptAssetId()) != null,
                            "output.prompt_asset_id", "must be a UUID or empty")
                    .require(output.getPlatformRef().length() <= MAX_PLATFORM_REF, "output.platform_ref",
                            "at most " + MAX_PLATFORM_REF + " characters");
            Set<String> reviews = new HashSet<>();
            for (int i = 0; i < output.getReviewAssetIdsCount(); i++) {
                String id = output.getReviewAssetIds(i);
                violations.require(Ids.parseOrNull(id) != null, "output.review_asset_ids[" + i + "]", "must be a UUID")
                        .require(reviews.add(id), "output.review_asset_ids[" + i + "]", "is listed twice");
            }
        }
        List<io.tribute.attribution.engine.InfluenceScore> scores = request.hasEvidence()
                ? checkEvidence(request.getEvidence(), violations) : List.of();
        violations.throwIfAny(ERRORS);
        return scores;
    }

    private static List<io.tribute.attribution.engine.InfluenceScore> checkEvidence(Evidence evidence,
            FieldViolations violations) {
        violations.require(!evidence.getMethod().isEmpty() && evidence.getMethod().length() <= MAX_METHOD,
                        "evidence.method", "1 to " + MAX_METHOD + " characters")
                .require(!evidence.getMethodVersion().isEmpty() && evidence.getMethodVersion().length() <= MAX_METHOD,
                        "evidence.method_version", "1 to " + MAX_METHOD + " characters")
                .require(evidence.getScoresCount() > 0, "evidence.scores", "at least one score is required");
        Set<String> scored = new HashSet<>();
        List<io.tribute.attribution.engine.InfluenceScore> parsed = new ArrayList<>(evidence.getScoresCount());
        for (int i = 0; i < evidence.getScoresCount(); i++) {
            InfluenceScore score = evidence.getScores(i);
            boolean isUuid = Ids.parseOrNull(score.getAssetId()) != null;
            boolean isFirst = scored.add(score.getAssetId());
            BigDecimal value = parseScore(score.getScore());
            if (isUuid && isFirst && value != null) {
                parsed.add(new io.tribute.attribution.engine.InfluenceScore(score.getAssetId(), value));
                continue;
            }
            String field = "evidence.scores[" + i + "]";
            violations.require(isUuid, field + ".asset_id", "must be a UUID")
                    .require(isFirst, field + ".asset_id", "is scored twice")
                    .require(value != null, field + ".score",
                            "must be a decimal number (JSON syntax, at most 40 significant digits, exponent within ±60)");
        }
        return parsed;
    }

    /** The exact value of a score, or null when it is not a valid decimal. */
    static BigDecimal parseScore(String text) {
        if (!JSON_NUMBER.matcher(text).matches()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text).stripTrailingZeros();
            int exponent = value.precision() - value.scale() - 1;
            if (value.signum() != 0 && (value.precision() > MAX_SIGNIFICANT_DIGITS || Math.abs(exponent) > MAX_EXPONENT)) {
                return null;
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static RuntimeException limit(String field, String description) {
        return ERRORS.status(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_LIMIT_EXCEEDED,
                field + ": " + description, Map.of("field", field));
    }
}
