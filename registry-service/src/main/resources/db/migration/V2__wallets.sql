-- external_ref may be up to 256 characters (registry.proto); V1 allowed only 200.
ALTER TABLE contributor DROP CONSTRAINT contributor_external_ref_check;
ALTER TABLE contributor ADD CONSTRAINT contributor_external_ref_check
    CHECK (length(external_ref) BETWEEN 1 AND 256);

-- One-time EIP-191 messages a wallet signs to be bound to a contributor.
CREATE TABLE wallet_challenge (
    id               uuid PRIMARY KEY,
    contributor_id   uuid        NOT NULL REFERENCES contributor (id),
    account          text        NOT NULL,
    replaces_account text,
    nonce            text        NOT NULL,
    message          text        NOT NULL,
    issued_at        timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    -- Set once, by the BindWallet call that consumed the challenge.
    used_at          timestamptz
);

-- Every wallet binding change of every contributor, never deleted; the row without unbound_at is current.
CREATE TABLE wallet_binding (
    id                   uuid PRIMARY KEY,
    contributor_id       uuid        NOT NULL REFERENCES contributor (id),
    account              text        NOT NULL,
    replaced_account     text,
    method               text        NOT NULL
        CHECK (method IN ('NEW_WALLET_SIGNATURE', 'OLD_AND_NEW_WALLET_SIGNATURES', 'OPERATOR_OVERRIDE')),
    challenge_id         uuid        NOT NULL UNIQUE REFERENCES wallet_challenge (id),
    signature            text        NOT NULL,
    old_wallet_signature text,
    operator             text,
    reason               text,
    request_id           text        NOT NULL,
    bound_at             timestamptz NOT NULL,
    unbound_at           timestamptz
);

CREATE INDEX wallet_binding_contributor ON wallet_binding (contributor_id, bound_at, id);
-- At most one current binding per contributor, whatever the races.
CREATE UNIQUE INDEX wallet_binding_current ON wallet_binding (contributor_id) WHERE unbound_at IS NULL;
