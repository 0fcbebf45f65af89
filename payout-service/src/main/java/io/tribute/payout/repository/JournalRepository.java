package io.tribute.payout.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tribute.payout.Journal;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes journals (insert only: the database refuses changes to posted entries) and reads entries and balances. */
@ApplicationScoped
public class JournalRepository {

    private static final String INSERT_JOURNAL = """
            INSERT INTO journal (id, kind, request_id, attribution_id, settlement_id, created_at, currency,
                                 output_sha256, external_ref, batch_id, tx_hash)
            VALUES (:id, :kind, :requestId, :attributionId, :settlementId, :createdAt, :currency,
                    :outputSha256, :externalRef, :batchId, :txHash)""";
    private static final String ENTRY_COLUMNS = """
            SELECT e.id, e.journal_id, j.kind, e.account_type, e.contributor_id, e.currency, e.debit, e.credit,
                   j.created_at, j.attribution_id, j.output_sha256, j.request_id, j.external_ref, j.settlement_id,
                   j.batch_id, j.tx_hash
            FROM journal_entry e JOIN journal j ON j.id = e.journal_id""";
    private static final String BALANCES = """
            SELECT e.currency, e.account_type, sum(e.credit) - sum(e.debit), max(j.created_at)
            FROM journal_entry e JOIN journal j ON j.id = e.journal_id
            WHERE %s
            GROUP BY e.currency, e.account_type
            ORDER BY e.currency, e.account_type""";

    /** One stored entry with its journal's kind, time and references. */
    public record StoredEntry(UUID id, UUID journalId, Journal.Kind kind, Journal.Account account,
            UUID contributorId, String currency, BigInteger debit, BigInteger credit, OffsetDateTime createdAt,
            Journal.References references) {
    }

    /** An account balance (credit − debit) of one currency and the time of its newest entry. */
    public record AccountBalance(String currency, Journal.Account account, BigInteger balance,
            OffsetDateTime asOf) {
    }

    /** Filters of a listing; null = any. */
    public record EntryFilter(UUID contributorId, Journal.Account account, String currency, UUID journalId,
            Journal.Kind kind, UUID attributionId, UUID settlementId, String requestId, OffsetDateTime from,
            OffsetDateTime until) {
    }

    /** Inserts the journal and all its entries (the balance check runs at commit). */
    public Uni<Void> insert(Journal journal) {
        Journal.References refs = journal.references();
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT_JOURNAL)
                .setParameter("id", journal.id())
                .setParameter("kind", journal.kind().name())
                .setParameter("requestId", refs.requestId())
                .setParameter("attributionId", refs.attributionId())
                .setParameter("settlementId", refs.settlementId())
                .setParameter("createdAt", journal.createdAt())
                .setParameter("currency", journal.currency())
                .setParameter("outputSha256", refs.outputSha256())
                .setParameter("externalRef", refs.externalRef())
                .setParameter("batchId", refs.batchId())
                .setParameter("txHash", refs.txHash())
                .executeUpdate()
                .chain(() -> insertEntries(session, journal)))
                .replaceWithVoid();
    }

    private Uni<Integer> insertEntries(org.hibernate.reactive.mutiny.Mutiny.Session session, Journal journal) {
        StringBuilder sql = new StringBuilder("INSERT INTO journal_entry "
                + "(id, journal_id, account_type, contributor_id, currency, debit, credit) VALUES ");
        List<Journal.Entry> entries = journal.entries();
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :journal, :account").append(i)
                    .append(", :contributor").append(i).append(", :currency, :debit").append(i)
                    .append(", :credit").append(i).append(')');
        }
        var query = session.createNativeQuery(sql.toString())
                .setParameter("journal", journal.id())
                .setParameter("currency", journal.currency());
        for (int i = 0; i < entries.size(); i++) {
            Journal.Entry entry = entries.get(i);
            query.setParameter("id" + i, entry.id())
                    .setParameter("account" + i, entry.account().name())
                    .setParameter("contributor" + i, entry.contributorId())
                    .setParameter("debit" + i, new BigDecimal(entry.debit()))
                    .setParameter("credit" + i, new BigDecimal(entry.credit()));
        }
        return query.executeUpdate();
    }

    /** Entries matching {@code filter} with ids after {@code after} (null = from the start), by id, at most limit. */
    public Uni<List<StoredEntry>> list(EntryFilter filter, UUID after, int limit) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        condition(conditions, parameters, "e.contributor_id = :contributor", "contributor", filter.contributorId());
        condition(conditions, parameters, "e.account_type = :account", "account",
                filter.account() == null ? null : filter.account().name());
        condition(conditions, parameters, "e.currency = :currency", "currency", filter.currency());
        condition(conditions, parameters, "e.journal_id = :journal", "journal", filter.journalId());
        condition(conditions, parameters, "j.kind = :kind", "kind", filter.kind() == null ? null : filter.kind().name());
        condition(conditions, parameters, "j.attribution_id = :attribution", "attribution", filter.attributionId());
        condition(conditions, parameters, "j.settlement_id = :settlement", "settlement", filter.settlementId());
        condition(conditions, parameters, "j.request_id = :request", "request", filter.requestId());
        condition(conditions, parameters, "j.created_at >= :from", "from", filter.from());
        condition(conditions, parameters, "j.created_at < :until", "until", filter.until());
        condition(conditions, parameters, "e.id > :after", "after", after);
        String sql = ENTRY_COLUMNS + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY e.id LIMIT " + limit;
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        }).map(rows -> rows.stream().map(JournalRepository::toEntry).toList());
    }

    /** Balances of one contributor's accounts, or of the FEE account when {@code contributorId} is null. */
    public Uni<List<AccountBalance>> balances(UUID contributorId, String currency) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        if (contributorId == null) {
            conditions.add("e.account_type = 'FEE'");
        } else {
            condition(conditions, parameters, "e.contributor_id = :contributor", "contributor", contributorId);
        }
        condition(conditions, parameters, "e.currency = :currency", "currency", currency);
        String sql = BALANCES.formatted(String.join(" AND ", conditions));
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        }).map(rows -> rows.stream().map(row -> new AccountBalance((String) row[0],
                Journal.Account.valueOf((String) row[1]), toBigInteger(row[2]), toTime(row[3]))).toList());
    }

    private static void condition(List<String> conditions, Map<String, Object> parameters, String sql, String name,
            Object value) {
        if (value != null) {
            conditions.add(sql);
            parameters.put(name, value);
        }
    }

    private static StoredEntry toEntry(Object[] row) {
        return new StoredEntry((UUID) row[0], (UUID) row[1], Journal.Kind.valueOf((String) row[2]),
                Journal.Account.valueOf((String) row[3]), (UUID) row[4], (String) row[5], toBigInteger(row[6]),
                toBigInteger(row[7]), toTime(row[8]), new Journal.References((UUID) row[9], (String) row[10],
                        (String) row[11], (String) row[12], (UUID) row[13], (String) row[14], (String) row[15]));
    }

    static BigInteger toBigInteger(Object value) {
        return value instanceof BigDecimal decimal ? decimal.toBigIntegerExact() : (BigInteger) value;
    }

    static OffsetDateTime toTime(Object value) {
        if (value instanceof java.time.Instant instant) {
            return instant.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.atOffset(java.time.ZoneOffset.UTC);
        }
        return (OffsetDateTime) value;
    }
}
