package io.tribute.attribution.mapping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tribute.attribution.engine.AssetKind;
import io.tribute.attribution.engine.Creator;
import io.tribute.attribution.engine.EdgeType;
import io.tribute.attribution.engine.InfluenceScore;
import io.tribute.attribution.engine.LineageEdge;
import io.tribute.attribution.engine.LineageNode;
import io.tribute.attribution.engine.LineageSnapshot;
import io.tribute.attribution.engine.Policy;
import io.tribute.attribution.engine.Role;
import io.tribute.attribution.mapping.AttributionForms.RecordedEvidence;
import io.tribute.attribution.mapping.AttributionForms.RecordedOutput;
import io.tribute.common.json.CanonicalJson;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored canonical inputs with their lineage nodes put back are the bytes of the encoded whole. */
class AttributionFormsTest {

    @Test
    void storedInputsWithTheirNodesPutBackEqualTheEncodedInputs() {
        RecordedOutput output = new RecordedOutput("ab\u00e9\"\\\n", "m-2", "", List.of("r-2", "r-1"), "ref \u2028 ☃", 17L);
        Map<Role, Long> weights = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            weights.put(role, 200_000L);
        }
        Policy policy = new Policy(weights, 500_000, 8, 100, 300_000);
        LineageSnapshot lineage = new LineageSnapshot(
                List.of(new LineageNode("m-2", AssetKind.MODEL, List.of(new Creator("c-2", 1), new Creator("c-1", 3)),
                        List.of()), new LineageNode("d-1", AssetKind.DATASET, List.of(), List.of(new Creator("c-3", 2)))),
                List.of(new LineageEdge("m-2", "d-1", EdgeType.TRAINED_ON, 1_000_000)));
        RecordedEvidence evidence = new RecordedEvidence("tracin", "1.0",
                List.of(new InfluenceScore("d-1", new BigDecimal("0.50")), new InfluenceScore("a-0", BigDecimal.ONE)));
        RecordedEvidence nonAscii = new RecordedEvidence("trac\u00efn \u2603", "1.0 \ud83d\ude00",
                List.of(new InfluenceScore("d-1", BigDecimal.TEN)));
        for (RecordedEvidence recorded : new RecordedEvidence[] {evidence, nonAscii, null}) {
            Map<String, Object> outputForm = AttributionForms.output(output);
            Map<String, Object> policyForm = AttributionForms.policy("p-1", 3, policy);
            Map<String, Object> evidenceForm = AttributionForms.evidence(recorded);
            Map<String, Object> lineageForm = AttributionForms.lineage(lineage);
            AttributionForms.LineageParts parts = AttributionForms.lineageParts(lineage);
            assertEquals(CanonicalJson.write(lineageForm), parts.json());
            assertEquals(List.of("d-1", "m-2"), parts.nodeIds());
            AttributionForms.InputsWithoutNodes stored = AttributionForms.inputsWithoutNodes(
                    CanonicalJson.write(outputForm), CanonicalJson.write(policyForm), CanonicalJson.write(evidenceForm),
                    parts);
            assertArrayEquals(CanonicalJson.encode(AttributionForms.inputs(outputForm, policyForm, evidenceForm,
                    lineageForm)), AttributionForms.withNodes(stored.bytes(), stored.nodesAt(),
                    String.join(",", parts.nodeForms())));
        }
    }
}
