package io.tribute.payout.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tribute.payout.Journal;
import io.tribute.payout.v1.JournalEntry;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JournalMapperTest {

    @Test
    void newJournalReadsBackWithEveryTextFieldAndEntriesInIdTextOrder() throws InvalidProtocolBufferException {
        UUID contributor = UUID.randomUUID();
        UUID attribution = UUID.randomUUID();
        // Ids whose signed UUID order differs from their text order.
        UUID low = UUID.fromString("00000000-0000-7000-8000-000000000001");
        UUID high = UUID.fromString("ffffffff-0000-7000-8000-000000000001");
        List<Journal.Entry> entries = new ArrayList<>();
        entries.add(Journal.Entry.debit(high, Journal.Account.REVENUE, null, BigInteger.valueOf(1_000)));
        entries.add(Journal.Entry.credit(low, Journal.Account.CONTRIBUTOR_PAYABLE, contributor,
                BigInteger.valueOf(1_000)));
        Journal journal = new Journal(UUID.randomUUID(), Journal.Kind.REVENUE, "eip155:1/slip44:60",
                OffsetDateTime.of(2026, 11, 25, 4, 0, 0, 123_000, ZoneOffset.UTC),
                new Journal.References(attribution, "ab".repeat(32), "request-é", "ref", null, null, null), entries);

        var proto = io.tribute.payout.v1.Journal.parseFrom(JournalMapper.toProto(journal).toByteArray());

        assertThat(proto.getId()).isEqualTo(journal.id().toString());
        assertThat(proto.getCurrency()).isEqualTo("eip155:1/slip44:60");
        assertThat(proto.getReferences().getRequestId()).isEqualTo("request-é");
        assertThat(proto.getEntriesList()).extracting(JournalEntry::getId)
                .containsExactly(low.toString(), high.toString());
        JournalEntry payable = proto.getEntries(0);
        assertThat(payable.getJournalId()).isEqualTo(journal.id().toString());
        assertThat(payable.getAccount().getContributorId()).isEqualTo(contributor.toString());
        assertThat(payable.getDebit()).isEqualTo("0");
        assertThat(payable.getCredit()).isEqualTo("1000");
        assertThat(payable.getReferences().getAttributionId()).isEqualTo(attribution.toString());
        assertThat(payable.getReferences().getOutputSha256()).isEqualTo("ab".repeat(32));
        assertThat(payable.getReferences().getExternalRef()).isEqualTo("ref");
        assertThat(payable.getCurrency()).isEqualTo("eip155:1/slip44:60");
        assertThat(proto.getEntries(1).getDebit()).isEqualTo("1000");
    }
}
