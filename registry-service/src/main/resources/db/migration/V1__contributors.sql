-- People and organisations that can be credited and paid.
CREATE TABLE contributor (
    id             uuid PRIMARY KEY,
    display_name   text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    external_ref   text        NOT NULL UNIQUE CHECK (length(external_ref) BETWEEN 1 AND 200),
    payout_account text,
    created_at     timestamptz NOT NULL
);

-- AIP-155 request ids of mutating RPCs and the response each first got (see IdempotentRequests).
CREATE TABLE idempotent_request (
    request_id     text PRIMARY KEY,
    rpc            text        NOT NULL,
    request_sha256 bytea       NOT NULL,
    response       bytea,
    created_at     timestamptz NOT NULL DEFAULT now()
);
