package io.tribute.attribution.grpc;

import static io.tribute.attribution.RegistryFixtures.parent;
import static io.tribute.attribution.RegistryFixtures.randomSha;
import static io.tribute.testing.GrpcErrors.assertFails;
import static io.tribute.testing.GrpcErrors.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.attribution.RegistryFixtures;
import io.tribute.attribution.RegistryServiceResource;
import io.tribute.attribution.v1.AttributeOutputRequest;
import io.tribute.attribution.v1.Attribution;
import io.tribute.attribution.v1.AttributionServiceGrpc.AttributionServiceBlockingStub;
import io.tribute.attribution.v1.Evidence;
import io.tribute.attribution.v1.InfluenceScore;
import io.tribute.attribution.v1.Output;
import io.tribute.attribution.v1.SummarizeAttributionsRequest;
import io.tribute.attribution.v1.SummarizeAttributionsRequest.AttributionIds;
import io.tribute.attribution.v1.SummarizeAttributionsRequest.OutputHashes;
import io.tribute.attribution.v1.SummarizeAttributionsResponse;
import io.tribute.attribution.v1.SummaryGroup;
import io.tribute.attribution.v1.SummaryGrouping;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.EdgeType;
import io.tribute.common.v1.Role;
import io.tribute.common.v1.TimeRange;
import io.tribute.registry.v1.RegistryServiceGrpc.RegistryServiceBlockingStub;
import io.tribute.testing.PostgresResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SummarizeAttributions against a real registry-service and PostgreSQL. The lineage: model (alice) TRAINED_ON
 * three data items by heidi, frank and grace. Three outputs flagged as biased carry evidence that heidi's item
 * dominated them (scores 0.8 / 0.1 / 0.1); two other outputs were shaped by grace's item only.
 *
 * <p>Default policy, no prompt, no review, evidence: training data 400,000 / (400,000 + 250,000) = 8/13 of each
 * output, builders 5/13. Per flagged output heidi's item gets 0.8 · 8/13 = 492,307,692,307.69 ppt, frank's and
 * grace's items 61,538,461,538.46 ppt each, alice's model 384,615,384,615.38 ppt (stored rounded down).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(RegistryServiceResource.class)
class SummarizeAttributionsRpcTest {

    private static final String DOMAIN = "attribution.tribute.io";

    @GrpcClient("attribution")
    AttributionServiceBlockingStub service;

    @GrpcClient("registry")
    RegistryServiceBlockingStub registryStub;

    private final Map<String, String> people = new java.util.HashMap<>();
    private String model;
    private String heidisItem;
    private String franksItem;
    private String gracesItem;
    private String flaggedRef;
    private final List<Attribution> flagged = new ArrayList<>();
    private final List<Attribution> others = new ArrayList<>();
    private Timestamp othersFrom;
    private Timestamp othersUntil;

    @BeforeEach
    void attributeFlaggedAndOtherOutputs() {
        RegistryFixtures registry = new RegistryFixtures(registryStub);
        for (String name : List.of("alice", "heidi", "frank", "grace")) {
            people.put(name, registry.contributor(name));
        }
        heidisItem = registry.asset(AssetKind.ASSET_KIND_DATA_ITEM, people.get("heidi"));
        franksItem = registry.asset(AssetKind.ASSET_KIND_DATA_ITEM, people.get("frank"));
        gracesItem = registry.asset(AssetKind.ASSET_KIND_DATA_ITEM, people.get("grace"));
        model = registry.asset(AssetKind.ASSET_KIND_MODEL, people.get("alice"),
                parent(heidisItem, EdgeType.EDGE_TYPE_TRAINED_ON), parent(franksItem, EdgeType.EDGE_TYPE_TRAINED_ON),
                parent(gracesItem, EdgeType.EDGE_TYPE_TRAINED_ON));
        flaggedRef = "flagged/bias/" + UUID.randomUUID();
        // A time window of its own for the other outputs (the database may hold other tests' outputs).
        long base = 978_307_200L + ThreadLocalRandom.current().nextLong(0, 300_000_000L);
        othersFrom = Timestamp.newBuilder().setSeconds(base).build();
        othersUntil = Timestamp.newBuilder().setSeconds(base + 60).build();
        for (int i = 0; i < 3; i++) {
            flagged.add(attribute(flaggedRef, null, Map.of(heidisItem, "0.8", franksItem, "0.1", gracesItem, "1e-1")));
        }
        for (int i = 0; i < 2; i++) {
            others.add(attribute("ok", Timestamp.newBuilder().setSeconds(base + i).build(), Map.of(gracesItem, "2")));
        }
    }

    @Test
    void theTrainingDataThatDominatesTheFlaggedOutputsComesFirst() {
        SummarizeAttributionsResponse summary = service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setPlatformRef(flaggedRef).setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ASSET)
                .addRoles(Role.ROLE_TRAINING_DATA).setTopK(1).build());

        assertThat(summary.getSelectedOutputCount()).isEqualTo(3);
        assertThat(summary.getGroupsList()).containsExactly(SummaryGroup.newBuilder()
                .setAssetId(heidisItem).setAssetKind(AssetKind.ASSET_KIND_DATA_ITEM).setOutputCount(3)
                .setTotalPpm(1_476_923).setMeanSharePpm(492_307).build());
        // frank's and grace's items: 3 · 61,538,461,538 ppt = 184,615 ppm each.
        assertThat(summary.getTotalPpm()).isEqualTo(1_476_923 + 2 * 184_615);
        assertThat(summary.getOtherTotalPpm()).isEqualTo(2 * 184_615);
        assertThat(summary.getOtherGroupCount()).isEqualTo(2);
    }

    @Test
    void groupsByRoleAndByContributorOverTheSameOutputs() {
        SummarizeAttributionsResponse byRole = service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setPlatformRef(flaggedRef).setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ROLE).build());
        assertThat(byRole.getGroupsList()).extracting(SummaryGroup::getRole, SummaryGroup::getTotalPpm,
                SummaryGroup::getOutputCount).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Role.ROLE_TRAINING_DATA, 1_846_153L, 3L),
                org.assertj.core.groups.Tuple.tuple(Role.ROLE_MODEL_BUILDERS, 1_153_846L, 3L));

        SummarizeAttributionsResponse byContributor = service.summarizeAttributions(SummarizeAttributionsRequest
                .newBuilder().setPlatformRef(flaggedRef).setGroupBy(SummaryGrouping.SUMMARY_GROUPING_CONTRIBUTOR)
                .build());
        // Without roles the rounded shares are summed: each output adds exactly 1,000,000.
        assertThat(byContributor.getTotalPpm()).isEqualTo(3_000_000);
        assertThat(byContributor.getGroups(0).getContributorId()).isEqualTo(people.get("heidi"));
        assertThat(byContributor.getGroups(0).getTotalPpm()).isEqualTo(3 * 492_308);
        assertThat(byContributor.getGroupsList()).extracting(SummaryGroup::getContributorId)
                .containsExactlyInAnyOrder(people.get("heidi"), people.get("alice"), people.get("frank"),
                        people.get("grace"));

        SummarizeAttributionsResponse dataOnly = service.summarizeAttributions(SummarizeAttributionsRequest
                .newBuilder().setPlatformRef(flaggedRef).setGroupBy(SummaryGrouping.SUMMARY_GROUPING_CONTRIBUTOR)
                .addRoles(Role.ROLE_TRAINING_DATA).build());
        assertThat(dataOnly.getGroupsList()).extracting(SummaryGroup::getContributorId)
                .doesNotContain(people.get("alice"));
        assertThat(dataOnly.getGroups(0).getTotalPpm()).isEqualTo(1_476_923);
    }

    @Test
    void outputsAreSelectedByIdsHashesOrTimeRangeAndUnknownOnesAreIgnored() {
        SummarizeAttributionsResponse byIds = service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setAttributionIds(AttributionIds.newBuilder().addIds(flagged.get(0).getId())
                        .addIds(others.get(0).getId()).addIds(UUID.randomUUID().toString()))
                .setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ASSET).addRoles(Role.ROLE_TRAINING_DATA).build());
        assertThat(byIds.getSelectedOutputCount()).isEqualTo(2);
        // grace's item: 61,538,461,538 ppt (flagged) + 615,384,615,384 ppt (all of the data role) = 676,923 ppm.
        assertThat(byIds.getGroupsList()).extracting(SummaryGroup::getAssetId, SummaryGroup::getTotalPpm,
                SummaryGroup::getMeanSharePpm).containsExactly(
                org.assertj.core.groups.Tuple.tuple(gracesItem, 676_923L, 338_461),
                org.assertj.core.groups.Tuple.tuple(heidisItem, 492_307L, 246_153),
                org.assertj.core.groups.Tuple.tuple(franksItem, 61_538L, 30_769));

        SummarizeAttributionsResponse byHashes = service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setOutputHashes(OutputHashes.newBuilder().addSha256(flagged.get(1).getOutput().getContentSha256())
                        .addSha256(randomSha()))
                .setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ROLE).build());
        assertThat(byHashes.getSelectedOutputCount()).isEqualTo(1);
        assertThat(byHashes.getGroupsCount()).isEqualTo(2);

        SummarizeAttributionsResponse byTime = service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setProducedTimeRange(TimeRange.newBuilder().setStartTime(othersFrom).setEndTime(othersUntil))
                .setGroupBy(SummaryGrouping.SUMMARY_GROUPING_CONTRIBUTOR).addRoles(Role.ROLE_TRAINING_DATA).build());
        assertThat(byTime.getSelectedOutputCount()).isEqualTo(2);
        assertThat(byTime.getGroupsList()).extracting(SummaryGroup::getContributorId, SummaryGroup::getTotalPpm)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(people.get("grace"), 1_230_769L));

        SummarizeAttributionsResponse nothing = service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setPlatformRef("nothing-" + UUID.randomUUID()).setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ROLE)
                .build());
        assertThat(nothing.getSelectedOutputCount()).isZero();
        assertThat(nothing.getGroupsList()).isEmpty();
    }

    @Test
    void invalidSummaryRequestsAreRefused() {
        assertThat(violatedFields(() -> service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setTopK(1_001).addRoles(Role.ROLE_UNSPECIFIED).build()), DOMAIN))
                .containsExactlyInAnyOrder("selector", "group_by", "top_k", "roles[0]");
        assertThat(violatedFields(() -> service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setAttributionIds(AttributionIds.newBuilder().addIds("x"))
                .setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ROLE).build()), DOMAIN))
                .containsExactly("attribution_ids.ids[0]");
        assertThat(violatedFields(() -> service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setProducedTimeRange(TimeRange.newBuilder().setStartTime(othersUntil).setEndTime(othersFrom))
                .setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ROLE).build()), DOMAIN))
                .containsExactly("produced_time_range");
        OutputHashes.Builder tooMany = OutputHashes.newBuilder();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.addSha256(randomSha());
        }
        assertFails(() -> service.summarizeAttributions(SummarizeAttributionsRequest.newBuilder()
                .setOutputHashes(tooMany).setGroupBy(SummaryGrouping.SUMMARY_GROUPING_ROLE).build()),
                Status.Code.INVALID_ARGUMENT, DOMAIN, "LIMIT_EXCEEDED");
    }

    private Attribution attribute(String platformRef, Timestamp producedAt, Map<String, String> scores) {
        Output.Builder output = Output.newBuilder().setContentSha256(randomSha()).setModelAssetId(model)
                .setPlatformRef(platformRef);
        if (producedAt != null) {
            output.setProducedAt(producedAt);
        }
        Evidence.Builder evidence = Evidence.newBuilder().setMethod("TRAK").setMethodVersion("0.3.2");
        scores.forEach((asset, score) -> evidence.addScores(InfluenceScore.newBuilder().setAssetId(asset)
                .setScore(score)));
        return service.attributeOutput(AttributeOutputRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setOutput(output).setEvidence(evidence).build()).getAttribution();
    }
}
