-- RecordRevenue inserts 20-odd entries per journal, and the per-entry constraint trigger queued one deferred check
-- per entry, each a plpgsql call and a query at commit, only to skip it (the journal is new and journal_inserted_balanced
-- checks it). The entries are now looked at once per statement: a statement-level trigger passes on only the journals
-- that existed before this transaction (entries added to a posted journal), and those are checked at commit as before.
-- Every journal still balances at commit whatever code wrote it.
CREATE TABLE journal_late_entry (
    journal_id uuid NOT NULL REFERENCES journal (id)
);

CREATE FUNCTION note_entries_added_to_posted_journals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- age(xmin) = 0: the journal row was inserted by this transaction, and journal_inserted_balanced checks it.
    INSERT INTO journal_late_entry (journal_id)
    SELECT j.id FROM journal j
    WHERE j.id IN (SELECT DISTINCT journal_id FROM added) AND age(j.xmin) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION check_late_entry_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    SELECT currency INTO unbalanced
    FROM journal_entry
    WHERE journal_id = NEW.journal_id
    GROUP BY currency
    HAVING sum(debit) <> sum(credit)
    LIMIT 1;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal % is not balanced in %', NEW.journal_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM journal_late_entry WHERE journal_id = NEW.journal_id;
    RETURN NULL;
END;
$$;

DROP TRIGGER journal_balanced ON journal_entry;
DROP FUNCTION check_journal_balanced();

CREATE TRIGGER journal_entry_added AFTER INSERT ON journal_entry
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION note_entries_added_to_posted_journals();
CREATE CONSTRAINT TRIGGER journal_late_entry_balanced AFTER INSERT ON journal_late_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_late_entry_journal_balanced();
