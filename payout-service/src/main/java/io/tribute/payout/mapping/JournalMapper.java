package io.tribute.payout.mapping;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.tribute.payout.Journal;
import io.tribute.payout.repository.JournalRepository.StoredEntry;
import io.tribute.payout.v1.AccountType;
import io.tribute.payout.v1.JournalEntry;
import io.tribute.payout.v1.JournalKind;
import io.tribute.payout.v1.JournalReferences;
import io.tribute.payout.v1.LedgerAccount;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Maps journals and entries between their stored and their wire form. */
public final class JournalMapper {

    private static final ByteString ZERO = utf8("0");
    private static final Map<Journal.Kind, JournalKind> JOURNAL_KINDS = byName(Journal.Kind.class,
            kind -> JournalKind.valueOf("JOURNAL_KIND_" + kind.name()));
    private static final Map<Journal.Account, AccountType> ACCOUNT_TYPES = byName(Journal.Account.class,
            account -> AccountType.valueOf("ACCOUNT_TYPE_" + account.name()));

    private JournalMapper() {
    }

    /**
     * The wire form of a journal: entries in id text order, so the same journal gives the same bytes however its
     * entries were listed (a replayed RecordRevenue rebuilds its first response from the stored journal with it). Its
     * text fields are set as UTF-8 bytes, converted once: the journal's id, currency and references recur in every
     * entry.
     */
    public static io.tribute.payout.v1.Journal toProto(Journal journal) {
        JournalReferences references = toProto(journal.references());
        ByteString journalId = utf8(journal.id().toString());
        ByteString currency = utf8(journal.currency());
        JournalKind kind = kind(journal.kind());
        Timestamp createdAt = timestamp(journal.createdAt());
        var proto = io.tribute.payout.v1.Journal.newBuilder()
                .setIdBytes(journalId)
                .setKind(kind)
                .setCurrencyBytes(currency)
                .setReferences(references)
                .setCreatedAt(createdAt);
        // By the id's text (= the database's order), not UUID.compareTo's signed comparison.
        List<Map.Entry<String, Journal.Entry>> byId = new ArrayList<>(journal.entries().size());
        for (Journal.Entry entry : journal.entries()) {
            byId.add(Map.entry(entry.id().toString(), entry));
        }
        byId.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, Journal.Entry> idAndEntry : byId) {
            Journal.Entry entry = idAndEntry.getValue();
            proto.addEntries(JournalEntry.newBuilder()
                    .setIdBytes(utf8(idAndEntry.getKey()))
                    .setJournalIdBytes(journalId)
                    .setKind(kind)
                    .setAccount(account(entry.account(), entry.contributorId()))
                    .setCurrencyBytes(currency)
                    .setDebitBytes(amountBytes(entry.debit()))
                    .setCreditBytes(amountBytes(entry.credit()))
                    .setCreatedAt(createdAt)
                    .setReferences(references)
                    .build());
        }
        return proto.build();
    }

    private static <E extends Enum<E>, P> Map<E, P> byName(Class<E> type, Function<E, P> wire) {
        Map<E, P> map = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            map.put(value, wire.apply(value));
        }
        return map;
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
        return JOURNAL_KINDS.get(kind);
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
        var proto = LedgerAccount.newBuilder().setType(ACCOUNT_TYPES.get(account));
        if (contributorId != null) {
            proto.setContributorIdBytes(utf8(contributorId.toString()));
        }
        return proto.build();
    }

    private static ByteString amountBytes(BigInteger amount) {
        return amount.signum() == 0 ? ZERO : utf8(amount.toString());
    }

    /** Text as UTF-8 bytes (String.getBytes is much faster than protobuf's per-character encoder). */
    private static ByteString utf8(String text) {
        return ByteString.copyFrom(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JournalReferences toProto(Journal.References references) {
        var proto = JournalReferences.newBuilder();
        if (references.attributionId() != null) {
            proto.setAttributionIdBytes(utf8(references.attributionId().toString()));
        }
        if (references.outputSha256() != null) {
            proto.setOutputSha256Bytes(utf8(references.outputSha256()));
        }
        if (references.requestId() != null) {
            proto.setRequestIdBytes(utf8(references.requestId()));
        }
        if (references.externalRef() != null) {
            proto.setExternalRefBytes(utf8(references.externalRef()));
        }
        if (references.settlementId() != null) {
            proto.setSettlementIdBytes(utf8(references.settlementId().toString()));
        }
        if (references.batchId() != null) {
            proto.setBatchIdBytes(utf8(references.batchId()));
        }
        if (references.txHash() != null) {
            proto.setTxHashBytes(utf8(references.txHash()));
        }
        return proto.build();
    }
}
