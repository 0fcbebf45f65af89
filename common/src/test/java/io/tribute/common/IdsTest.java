package io.tribute.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void newIdsAreVersion7WithTheRfcVariant() {
        UUID id = Ids.newId();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void newIdsCarryTheCurrentTimeInTheirLeadingBits() {
        long before = System.currentTimeMillis();
        UUID id = Ids.newId();
        long after = System.currentTimeMillis();
        long millis = id.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(before, after);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Ids.newId());
            Thread.sleep(2);
        }
        assertThat(ids.get(0).toString()).isLessThan(ids.get(1).toString());
        assertThat(ids.get(1).toString()).isLessThan(ids.get(2).toString());
    }

    @Test
    void idsDrawnTogetherAreDistinctVersion7IdsOfTheCurrentTime() {
        long before = System.currentTimeMillis();
        UUID[] ids = Ids.newIds(1_000);
        long after = System.currentTimeMillis();
        assertThat(ids).hasSize(1_000).doesNotHaveDuplicates();
        for (UUID id : ids) {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
        }
        assertThat(Ids.newIds(0)).isEmpty();
    }

    @Test
    void parseOrNullRejectsWhatIsNotACanonicalUuid() {
        assertThat(Ids.parseOrNull("not-a-uuid")).isNull();
        assertThat(Ids.parseOrNull(null)).isNull();
        assertThat(Ids.parseOrNull("1-1-1-1-1")).isNull();
        UUID id = Ids.newId();
        assertThat(Ids.parseOrNull(id.toString())).isEqualTo(id);
    }
}
