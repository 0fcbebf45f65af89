-- The checkpoint a settlement pays against.
ALTER TABLE settlement
    ADD COLUMN checkpoint_tree_size bigint,
    ADD COLUMN checkpoint_root      text;

-- One on-chain payment of a settlement. The transaction is signed and stored (raw, hash, nonce) before it is
-- broadcast, so a restart broadcasts exactly the stored bytes again (same nonce, same batch id).
CREATE TABLE settlement_batch (
    batch_id                 text PRIMARY KEY,
    settlement_id            uuid        NOT NULL REFERENCES settlement (id),
    batch_index              integer     NOT NULL,
    state                    text        NOT NULL CHECK (state IN
                                 ('PLANNED', 'SIGNED', 'BROADCAST', 'CONFIRMING', 'SETTLED', 'FAILED', 'UNKNOWN')),
    currency                 text        NOT NULL,
    recipient_count          integer     NOT NULL,
    total_amount             numeric(78, 0) NOT NULL CHECK (is_amount(total_amount)),
    checkpoint_root          text        NOT NULL,
    payer                    text,
    nonce                    bigint,
    tx_hash                  text,
    raw_transaction          text,
    gas_limit                numeric(78, 0),
    max_fee_per_gas          numeric(78, 0),
    max_priority_fee_per_gas numeric(78, 0),
    gas_used                 numeric(78, 0),
    effective_gas_price      numeric(78, 0),
    block_number             bigint,
    block_hash               text,
    confirmations            integer     NOT NULL DEFAULT 0,
    credited_recipient_count integer     NOT NULL DEFAULT 0,
    failure_detail           text,
    created_at               timestamptz NOT NULL,
    broadcast_at             timestamptz,
    last_sent_at             timestamptz,
    settled_at               timestamptz,
    updated_at               timestamptz NOT NULL,
    UNIQUE (settlement_id, batch_index)
);
CREATE INDEX settlement_batch_open ON settlement_batch (state) WHERE state NOT IN ('SETTLED', 'FAILED');
-- One nonce, one batch: a replacement reuses its own batch's nonce, never another's.
CREATE UNIQUE INDEX settlement_batch_nonce ON settlement_batch (payer, nonce);

CREATE TABLE settlement_recipient (
    batch_id       text        NOT NULL REFERENCES settlement_batch (batch_id),
    position       integer     NOT NULL,
    contributor_id uuid        NOT NULL,
    payout_account text        NOT NULL,
    amount         numeric(78, 0) NOT NULL CHECK (is_amount(amount) AND amount > 0),
    PRIMARY KEY (batch_id, position)
);

CREATE TABLE settlement_skipped (
    settlement_id  uuid        NOT NULL REFERENCES settlement (id),
    contributor_id uuid        NOT NULL,
    amount         numeric(78, 0) NOT NULL CHECK (is_amount(amount)),
    reason         text        NOT NULL CHECK (reason IN ('NO_WALLET', 'WALLET_CHAIN_MISMATCH', 'RECIPIENT_LIMIT')),
    PRIMARY KEY (settlement_id, contributor_id)
);

-- Every transaction ever signed for a batch (the current one and those it replaced with a fee bump).
CREATE TABLE batch_transaction (
    tx_hash         text PRIMARY KEY,
    batch_id        text        NOT NULL REFERENCES settlement_batch (batch_id),
    nonce           bigint      NOT NULL,
    raw_transaction text        NOT NULL,
    max_fee_per_gas numeric(78, 0) NOT NULL,
    signed_at       timestamptz NOT NULL
);
CREATE INDEX batch_transaction_by_batch ON batch_transaction (batch_id, signed_at);

-- The payer's next nonce, kept in the database so replicas and restarts never reuse or skip one.
CREATE TABLE payer_nonce (
    payer      text PRIMARY KEY,
    next_nonce bigint NOT NULL
);
