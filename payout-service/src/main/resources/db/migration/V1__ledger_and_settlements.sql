-- The double-entry ledger. A journal is one posting: a set of immutable entries, balanced per currency.
-- Amounts are base units of the currency, unsigned integers up to 2^256-1.
-- (Not a domain type: the reactive driver cannot bind parameters to domains.)
CREATE FUNCTION is_amount(value numeric) RETURNS boolean LANGUAGE sql IMMUTABLE
    RETURN value >= 0 AND value <= 115792089237316195423570985008687907853269984665640564039457584007913129639935;

CREATE TABLE journal (
    id             uuid PRIMARY KEY,
    kind           text        NOT NULL,
    request_id     text,
    attribution_id uuid,
    settlement_id  uuid,
    created_at     timestamptz NOT NULL
);

CREATE TABLE journal_entry (
    id             uuid PRIMARY KEY,
    journal_id     uuid        NOT NULL REFERENCES journal (id),
    account_type   text        NOT NULL CHECK (account_type IN
                       ('REVENUE', 'FEE', 'CONTRIBUTOR_PAYABLE', 'CONTRIBUTOR_IN_SETTLEMENT', 'CONTRIBUTOR_PAID')),
    contributor_id uuid,
    currency       text        NOT NULL,
    debit          numeric(78, 0) NOT NULL CHECK (is_amount(debit)),
    credit         numeric(78, 0) NOT NULL CHECK (is_amount(credit)),
    CHECK ((debit = 0) <> (credit = 0)),
    CHECK ((contributor_id IS NULL) = (account_type IN ('REVENUE', 'FEE')))
);
CREATE INDEX journal_entry_by_journal ON journal_entry (journal_id);
CREATE INDEX journal_entry_by_account ON journal_entry (currency, account_type, contributor_id);

-- Posted entries are history: the database refuses to change or remove them.
CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % is not allowed: rows are immutable', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER journal_immutable BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER journal_entry_immutable BEFORE UPDATE OR DELETE ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION reject_change();

-- Every journal balances per currency when its transaction commits, whatever code wrote it.
CREATE FUNCTION check_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER journal_balanced AFTER INSERT ON journal_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_journal_balanced();

-- Settlements: what was planned to be paid, and how far it got.
CREATE TABLE settlement (
    id                       uuid PRIMARY KEY,
    request_id               text        NOT NULL UNIQUE,
    currency                 text        NOT NULL,
    minimum_amount           numeric(78, 0) NOT NULL CHECK (is_amount(minimum_amount)),
    max_recipients_per_batch integer     NOT NULL CHECK (max_recipients_per_batch > 0),
    state                    text        NOT NULL CHECK (state IN
                                 ('PLANNED', 'BROADCASTING', 'CONFIRMING', 'SETTLED', 'FAILED', 'UNKNOWN')),
    chain_id                 text        NOT NULL,
    contract                 text,
    total_amount             numeric(78, 0) NOT NULL CHECK (is_amount(total_amount)),
    paid_amount              numeric(78, 0) NOT NULL CHECK (is_amount(paid_amount)),
    recipient_count          integer     NOT NULL,
    batch_count              integer     NOT NULL,
    skipped_count            integer     NOT NULL,
    skipped_amount           numeric(78, 0) NOT NULL CHECK (is_amount(skipped_amount)),
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    finished_at              timestamptz
);
CREATE INDEX settlement_by_currency ON settlement (currency, id DESC);

-- AIP-155 request ids of mutating RPCs and the response each first got (see IdempotentRequests).
CREATE TABLE idempotent_request (
    request_id     text PRIMARY KEY,
    rpc            text        NOT NULL,
    request_sha256 bytea       NOT NULL,
    response       bytea,
    created_at     timestamptz NOT NULL DEFAULT now()
);
