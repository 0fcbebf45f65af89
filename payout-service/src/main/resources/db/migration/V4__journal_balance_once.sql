-- The balance check ran once per entry and summed the whole journal each time (quadratic in a journal's entries:
-- most of a 10,000-recipient settlement's planning). A journal inserted in this transaction is now checked once, at
-- commit, by a trigger on journal; the per-entry check remains only for entries added to a journal of an earlier
-- transaction, so every journal still balances at commit whatever code wrote it.
CREATE FUNCTION check_inserted_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    SELECT currency INTO unbalanced
    FROM journal_entry
    WHERE journal_id = NEW.id
    GROUP BY currency
    HAVING sum(debit) <> sum(credit)
    LIMIT 1;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal % is not balanced in %', NEW.id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER journal_inserted_balanced AFTER INSERT ON journal
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_inserted_journal_balanced();

CREATE OR REPLACE FUNCTION check_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    -- age(xmin) = 0: the journal row was inserted by this transaction, and journal_inserted_balanced checks it.
    IF EXISTS (SELECT 1 FROM journal WHERE id = NEW.journal_id AND age(xmin) = 0) THEN
        RETURN NULL;
    END IF;
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
    RETURN NULL;
END;
$$;
