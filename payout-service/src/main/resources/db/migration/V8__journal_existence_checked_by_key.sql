-- Every entry must name an existing journal. V6 and V7 checked this with an anti-join of the statement's entries
-- against journal, which the planner may run as a hash join over a sequential scan of the whole journal table (it did
-- for RecordRevenue's statements of about 5 journals on ledgers of 1,000 to 16,000 journals): a cost per statement
-- that grows with the ledger (3.6 ms for 5 revenues at 16,200 journals, about half of PostgreSQL's CPU per revenue in
-- the benchmark; bench/RESULTS.md, payout section). The statement's distinct journal ids are now looked up one by one
-- in journal's primary key (an equality on the key: always an index probe, whatever the statistics say): a cost per
-- journal touched, whatever the ledger's size. Same check, same error (foreign_key_violation naming a missing
-- journal), same record of the touched journals for the balance check at commit.
CREATE OR REPLACE FUNCTION note_journals_given_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
    touched_id uuid;
BEGIN
    SELECT array_agg(DISTINCT journal_id) INTO touched FROM added;
    IF touched IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH touched_id IN ARRAY touched LOOP
        IF NOT EXISTS (SELECT 1 FROM journal j WHERE j.id = touched_id) THEN
            RAISE EXCEPTION 'journal % of a journal_entry does not exist', touched_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    INSERT INTO journal_balance_pending (journal_ids) VALUES (touched);
    RETURN NULL;
END;
$$;
