package io.tribute.payout.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tribute.testing.PostgresResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The database itself keeps the ledger honest, whatever code writes to it: SQL straight to PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LedgerConstraintsTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void balancedJournalCommits() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            post(connection, journal, "100", "100");
            connection.commit();
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + journal + "'")).isEqualTo(2);
    }

    @Test
    void unbalancedJournalIsRejectedAtCommit() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            post(connection, journal, "100", "99");
            assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("is not balanced");
        }
        assertThat(count("SELECT count(*) FROM journal WHERE id = '" + journal + "'")).isZero();
    }

    @Test
    void entryAddedLaterToAPostedJournalIsRejectedAtCommitUnlessItStillBalances() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            post(connection, journal, "100", "100");
            connection.commit();
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO journal_entry (id, journal_id, account_type, contributor_id,"
                        + " currency, debit, credit) VALUES ('" + UUID.randomUUID() + "', '" + journal
                        + "', 'REVENUE', NULL, 'eip155:31337/slip44:60', 5, 0)");
            }
            assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("is not balanced");
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + journal + "'")).isEqualTo(2);
    }

    @Test
    void entriesAddedLaterToAPostedJournalCommitWhenTheyStillBalanceAfterSeveralStatements() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            post(connection, journal, "100", "100");
            connection.commit();
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate(lateEntry(journal, "REVENUE", "7", "0"));
                statement.executeUpdate(lateEntry(journal, "FEE", "0", "7"));
            }
            connection.commit();
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + journal + "'")).isEqualTo(4);
    }

    @Test
    void unbalancedJournalWrittenInOneStatementIsRejected() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("""
                    WITH posted AS (
                        INSERT INTO journal (id, kind, created_at, currency)
                        VALUES ('%s', 'REVENUE', now(), 'eip155:31337/slip44:60') RETURNING id)
                    INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)
                    SELECT gen_random_uuid(), posted.id, 'REVENUE', NULL, 'eip155:31337/slip44:60', 10, 0
                    FROM posted""".formatted(journal)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("is not balanced");
        }
        assertThat(count("SELECT count(*) FROM journal WHERE id = '" + journal + "'")).isZero();
    }

    @Test
    void everyJournalGivenEntriesInATransactionIsCheckedAtCommitAndNothingStaysPending() throws SQLException {
        UUID spread = UUID.randomUUID();
        UUID balanced = UUID.randomUUID();
        UUID unbalanced = UUID.randomUUID();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            // Debit and credit of one new journal in two statements: unbalanced in between, balanced at commit.
            statement.executeUpdate(journal(spread));
            statement.executeUpdate(lateEntry(spread, "REVENUE", "8", "0"));
            statement.executeUpdate(lateEntry(spread, "FEE", "0", "8"));
            connection.commit();
            // Two journals in one statement, one of them unbalanced: the whole transaction is refused.
            statement.executeUpdate(journal(balanced));
            statement.executeUpdate(journal(unbalanced));
            statement.executeUpdate("INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency,"
                    + " debit, credit) SELECT gen_random_uuid(), j, 'FEE', NULL, 'eip155:31337/slip44:60', d, c"
                    + " FROM (VALUES ('" + balanced + "'::uuid, 4, 0), ('" + balanced + "', 0, 4), ('" + unbalanced
                    + "', 6, 0), ('" + unbalanced + "', 0, 5)) AS e(j, d, c)");
            assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("journal " + unbalanced + " is not balanced in eip155:31337/slip44:60");
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + spread + "'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM journal WHERE id IN ('" + balanced + "', '" + unbalanced + "')"))
                .isZero();
        assertThat(count("SELECT count(*) FROM journal_balance_pending")).isZero();
    }

    @Test
    void postedEntriesCannotBeUpdatedOrDeleted() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            post(connection, journal, "7", "7");
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate(
                        "UPDATE journal_entry SET credit = 8 WHERE journal_id = '" + journal + "' AND credit > 0"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("immutable");
                assertThatThrownBy(() -> statement.executeUpdate(
                        "DELETE FROM journal_entry WHERE journal_id = '" + journal + "'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("immutable");
                assertThatThrownBy(() -> statement.executeUpdate(
                        "DELETE FROM journal WHERE id = '" + journal + "'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("immutable");
            }
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + journal
                + "' AND credit = 7")).isEqualTo(1);
    }

    @Test
    void entryNamingNoJournalIsRejected() throws SQLException {
        UUID missing = UUID.randomUUID();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(lateEntry(missing, "REVENUE", "5", "0") + ", ('"
                    + UUID.randomUUID() + "', '" + missing + "', 'FEE', NULL, 'eip155:31337/slip44:60', 0, 5)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("does not exist")
                    .extracting(failure -> ((SQLException) failure).getSQLState()).isEqualTo("23503");
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + missing + "'")).isZero();
    }

    @Test
    void entriesAreMatchedToTheirJournalsByKeyWithoutScanningTheLedger() throws SQLException {
        UUID missing = UUID.randomUUID();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            // A ledger of 16,000 journals and a RecordRevenue-sized statement (5 journals of 21 entries), where an
            // anti-join plan would scan every journal.
            statement.executeUpdate("INSERT INTO journal (id, kind, created_at, currency) SELECT gen_random_uuid(),"
                    + " 'REVENUE', now(), 'eip155:31337/slip44:60' FROM generate_series(1, 16000)");
            statement.executeUpdate("CREATE TEMPORARY TABLE posted ON COMMIT DROP AS"
                    + " SELECT gen_random_uuid() AS id FROM generate_series(1, 5)");
            statement.executeUpdate("INSERT INTO journal (id, kind, created_at, currency)"
                    + " SELECT id, 'REVENUE', now(), 'eip155:31337/slip44:60' FROM posted");
            statement.execute("ANALYZE journal");
            long scansBefore = count(statement, "SELECT pg_stat_get_xact_numscans('journal'::regclass)");
            statement.executeUpdate(revenueEntries("SELECT id FROM posted"));
            assertThat(count(statement, "SELECT pg_stat_get_xact_numscans('journal'::regclass)"))
                    .isEqualTo(scansBefore);
            assertThat(count(statement, "SELECT count(*) FROM journal_entry e JOIN posted p ON p.id = e.journal_id"))
                    .isEqualTo(5 * 21);
            // The same statement with one journal that does not exist is refused, naming it.
            statement.execute("SAVEPOINT one_missing");
            assertThatThrownBy(() -> statement.executeUpdate(revenueEntries(
                    "SELECT id FROM posted UNION ALL SELECT '" + missing + "'::uuid")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("journal " + missing + " of a")
                    .extracting(failure -> ((SQLException) failure).getSQLState()).isEqualTo("23503");
            connection.rollback();
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + missing + "'")).isZero();
    }

    @Test
    void ledgerTablesCannotBeTruncated() throws SQLException {
        UUID journal = UUID.randomUUID();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            post(connection, journal, "3", "3");
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE journal_entry"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("immutable");
                assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE journal, journal_entry"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("immutable");
            }
        }
        assertThat(count("SELECT count(*) FROM journal_entry WHERE journal_id = '" + journal + "'")).isEqualTo(2);
    }

    @Test
    void amountsAboveTwoTo256AreRejected() throws SQLException {
        String tooLarge = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            assertThatThrownBy(() -> post(connection, UUID.randomUUID(), tooLarge, tooLarge))
                    .isInstanceOf(SQLException.class).hasMessageContaining("check");
        }
    }

    private static void post(Connection connection, UUID journal, String debit, String credit) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO journal (id, kind, created_at, currency) VALUES ('" + journal
                    + "', 'REVENUE', now(), 'eip155:31337/slip44:60')");
            statement.executeUpdate("INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency,"
                    + " debit, credit) VALUES ('" + UUID.randomUUID() + "', '" + journal + "', 'REVENUE', NULL, "
                    + "'eip155:31337/slip44:60', " + debit + ", 0)");
            statement.executeUpdate("INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency,"
                    + " debit, credit) VALUES ('" + UUID.randomUUID() + "', '" + journal + "', 'CONTRIBUTOR_PAYABLE', '"
                    + UUID.randomUUID() + "', 'eip155:31337/slip44:60', 0, " + credit + ")");
        }
    }

    private static String journal(UUID journal) {
        return "INSERT INTO journal (id, kind, created_at, currency) VALUES ('" + journal
                + "', 'REVENUE', now(), 'eip155:31337/slip44:60')";
    }

    private static String lateEntry(UUID journal, String account, String debit, String credit) {
        return "INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)"
                + " VALUES ('" + UUID.randomUUID() + "', '" + journal + "', '" + account + "', NULL,"
                + " 'eip155:31337/slip44:60', " + debit + ", " + credit + ")";
    }

    /** One balanced revenue journal's entries (a debit of 20, twenty credits of 1) for each journal id selected. */
    private static String revenueEntries(String journalIds) {
        return "INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)"
                + " SELECT gen_random_uuid(), j.id, 'REVENUE', NULL, 'eip155:31337/slip44:60', 20, 0"
                + " FROM (" + journalIds + ") AS j(id)"
                + " UNION ALL SELECT gen_random_uuid(), j.id, 'CONTRIBUTOR_PAYABLE', gen_random_uuid(),"
                + " 'eip155:31337/slip44:60', 0, 1 FROM (" + journalIds + ") AS j(id), generate_series(1, 20)";
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
