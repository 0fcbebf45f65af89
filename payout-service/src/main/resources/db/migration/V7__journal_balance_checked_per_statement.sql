-- Every journal still balances per currency at commit, whatever code wrote it; the check now costs one deferred call
-- per statement that adds entries instead of one per journal. Measured on the committed RecordRevenue statement
-- (16 revenues of 22 entries), the per-journal deferred check (journal_inserted_balanced: a queued event, a plpgsql
-- call and a query at commit for each journal) was about a third of PostgreSQL's CPU per revenue (bench/RESULTS.md,
-- payout section).
--
-- The statement trigger on journal_entry, which already reads the statement's entries once (and refuses any naming
-- no journal), now records the journals it touched, new and posted alike, as one row; that row's deferred check sums
-- all of them in one query at commit and removes the row. A journal without entries is balanced (nothing to sum), so
-- the check on inserted journals and the posted/new distinction (age(xmin)) go away.
CREATE TABLE journal_balance_pending (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    journal_ids uuid[] NOT NULL
);

CREATE FUNCTION note_journals_given_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing uuid;
BEGIN
    SELECT a.journal_id INTO missing FROM added a
    WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.id = a.journal_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal % of a journal_entry does not exist', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO journal_balance_pending (journal_ids)
    SELECT array_agg(DISTINCT journal_id) FROM added HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION check_pending_journals_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced_journal uuid;
    unbalanced_currency text;
BEGIN
    SELECT journal_id, currency INTO unbalanced_journal, unbalanced_currency
    FROM journal_entry
    WHERE journal_id = ANY (NEW.journal_ids)
    GROUP BY journal_id, currency
    HAVING sum(debit) <> sum(credit)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal % is not balanced in %', unbalanced_journal, unbalanced_currency
            USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM journal_balance_pending WHERE id = NEW.id;
    RETURN NULL;
END;
$$;

DROP TRIGGER journal_entry_added ON journal_entry;
DROP TRIGGER journal_inserted_balanced ON journal;
DROP TABLE journal_late_entry;
DROP FUNCTION note_entries_added_to_posted_journals();
DROP FUNCTION check_late_entry_journal_balanced();
DROP FUNCTION check_inserted_journal_balanced();

CREATE TRIGGER journal_entry_added AFTER INSERT ON journal_entry
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION note_journals_given_entries();
CREATE CONSTRAINT TRIGGER journal_balance_pending_balanced AFTER INSERT ON journal_balance_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_pending_journals_balanced();
