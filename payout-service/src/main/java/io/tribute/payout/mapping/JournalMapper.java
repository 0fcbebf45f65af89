package io.tribute.payout.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.payout.Journal;
import io.tribute.payout.repository.JournalRepository.StoredEntry;
import io.tribute.payout.v1.AccountType;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.JournalKind;
import io.tribute.payout.v1.JournalReferences;
import io.tribute.payout.v1.LedgerAccount;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Maps journals and entries between their stored and their wire form. */
public final class JournalMapper {

    private JournalMapper() {
    }

    public static io.tribute.payout.v1.Journal toProto(Journal journal) {
        JournalReferences references = toProto(journal.references());
        var proto = io.tribute.payout.v1.Journal.newBuilder()
                .setId(journal.id().toString())
                .setKind(kind(journal.kind()))
                .setCurrency(journal.currency())
                .setReferences(references)
                .setCreatedAt(timestamp(journal.createdAt()));
        String journalId = journal.id().toString();
        JournalKind kind = kind(journal.kind());
        Timestamp createdAt = timestamp(journal.createdAt());
        List<JournalEntry> entries = new ArrayList<>(journal.entries().size());
        for (Journal.Entry entry : journal.entries()) {
            entries.add(JournalEntry.newBuilder()
                    .setId(entry.id().toString())
                    .setJournalId(journalId)
                    .setKind(kind)
                    .setAccount(account(entry.account(), entry.contributorId()))
                    .setCurrency(journal.currency())
                    .setDebit(entry.debit().toString())
                    .setCredit(entry.credit().toString())
                    .setCreatedAt(createdAt)
                    .setReferences(references)
                    .build());
        }
        // By the id's text (= the database's order), not UUID.compareTo's signed comparison.
        entries.sort(Comparator.comparing(JournalEntry::getId));
        return proto.addAllEntries(entries).build();
    }

    public static JournalEntry toProto(StoredEntry entry) {
        return JournalEntry.newBuilder()
                .setId(entry.id().toString())
                .setJournalId(entry.journalId().toString())
                .setKind(kind(entry.kind()))
                .setAccount(account(entry.account(), entry.contributorId()))
                .setCurrency(entry.currency())
                .setDebit(entry.debit().toString())
                .setCredit(entry.credit().toString())
                .setCreatedAt(timestamp(entry.createdAt()))
                .setReferences(toProto(entry.references()))
                .build();
    }

    public static JournalKind kind(Journal.Kind kind) {
        return JournalKind.valueOf("JOURNAL_KIND_" + kind.name());
    }

    public static Journal.Kind kind(JournalKind kind) {
        return kind == JournalKind.JOURNAL_KIND_UNSPECIFIED ? null
                : Journal.Kind.valueOf(kind.name().substring("JOURNAL_KIND_".length()));
    }

    public static Journal.Account account(AccountType type) {
        return type == AccountType.ACCOUNT_TYPE_UNSPECIFIED ? null
                : Journal.Account.valueOf(type.name().substring("ACCOUNT_TYPE_".length()));
    }

    public static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }

    private static LedgerAccount account(Journal.Account account, UUID contributorId) {
        var proto = LedgerAccount.newBuilder().setType(AccountType.valueOf("ACCOUNT_TYPE_" + account.name()));
        if (contributorId != null) {
            proto.setContributorId(contributorId.toString());
        }
        return proto.build();
    }

    private static JournalReferences toProto(Journal.References references) {
        var proto = JournalReferences.newBuilder();
        if (references.attributionId() != null) {
            proto.setAttributionId(references.attributionId().toString());
        }
        if (references.outputSha256() != null) {
            proto.setOutputSha256(references.outputSha256());
        }
        if (references.requestId() != null) {
            proto.setRequestId(references.requestId());
        }
        if (references.externalRef() != null) {
            proto.setExternalRef(references.externalRef());
        }
        if (references.settlementId() != null) {
            proto.setSettlementId(references.settlementId().toString());
        }
        if (references.batchId() != null) {
            proto.setBatchId(references.batchId());
        }
        if (references.txHash() != null) {
            proto.setTxHash(references.txHash());
        }
        return proto.build();
    }
}
