-- What a journal refers to beyond V1's columns (JournalReferences in payout.proto), and its currency.
ALTER TABLE journal
    ADD COLUMN currency      text,
    ADD COLUMN output_sha256 text,
    ADD COLUMN external_ref  text,
    ADD COLUMN batch_id      text,
    ADD COLUMN tx_hash       text;

-- A RecordRevenue request posts at most one journal, whatever happens to the idempotency record.
CREATE UNIQUE INDEX journal_revenue_once ON journal (request_id) WHERE kind = 'REVENUE';
CREATE INDEX journal_by_attribution ON journal (attribution_id);
CREATE INDEX journal_by_settlement ON journal (settlement_id);
CREATE INDEX journal_entry_by_contributor ON journal_entry (contributor_id, currency);
