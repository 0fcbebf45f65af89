package io.tribute.payout.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

/** Reads balances off the journal; entries are only ever inserted, never changed. */
@ApplicationScoped
public class LedgerRepository {

    private static final String PAYABLES = """
            SELECT contributor_id, sum(credit) - sum(debit)
            FROM journal_entry
            WHERE currency = :currency AND account_type = 'CONTRIBUTOR_PAYABLE'
            GROUP BY contributor_id
            HAVING sum(credit) - sum(debit) >= greatest(:minimum, 1)
            ORDER BY contributor_id""";

    /** A contributor's accrued balance in one currency. */
    public record Payable(UUID contributorId, BigInteger amount) {
    }

    /** Contributors whose accrued balance in {@code currency} is at least {@code minimum} (and above 0). */
    public Uni<List<Payable>> payablesAtLeast(String currency, BigInteger minimum) {
        return Panache.getSession().chain(session -> session.createNativeQuery(PAYABLES, Object[].class)
                .setParameter("currency", currency)
                .setParameter("minimum", minimum)
                .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new Payable((UUID) row[0], toBigInteger(row[1])))
                        .toList());
    }

    private static BigInteger toBigInteger(Object value) {
        return value instanceof java.math.BigDecimal decimal ? decimal.toBigIntegerExact() : (BigInteger) value;
    }
}
