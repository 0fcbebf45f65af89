-- Every key that ever signed manifests (public part only); retired keys keep verifying what they signed.
CREATE TABLE signing_key (
    -- RFC 7638 JWK SHA-256 thumbprint, base64url (the JWS "kid").
    key_id       text PRIMARY KEY,
    -- The 32-byte Ed25519 public key.
    public_key   bytea       NOT NULL CHECK (length(public_key) = 32),
    activated_at timestamptz NOT NULL,
    -- Null while the key signs new manifests (exactly one such key at a time).
    retired_at   timestamptz
);

-- Each asset's manifest, signed the first time it is issued and never changed afterwards.
CREATE TABLE manifest (
    asset_id     uuid PRIMARY KEY REFERENCES asset (id),
    key_id       text        NOT NULL REFERENCES signing_key (key_id),
    -- RFC 8785 canonical JSON: the JWS payload, byte for byte.
    payload_json text        NOT NULL,
    jws          text        NOT NULL,
    signed_at    timestamptz NOT NULL
);
