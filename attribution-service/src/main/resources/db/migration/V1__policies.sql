-- Attribution policies: immutable, versioned rules that turn lineage and evidence into shares.
CREATE TABLE policy_version (
    policy_id                   uuid        NOT NULL,
    version                     integer     NOT NULL CHECK (version >= 1),
    name                        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description                 text        NOT NULL CHECK (length(description) <= 2000),
    training_data_ppm           integer     NOT NULL CHECK (training_data_ppm BETWEEN 0 AND 1000000),
    architecture_ppm            integer     NOT NULL CHECK (architecture_ppm BETWEEN 0 AND 1000000),
    model_builders_ppm          integer     NOT NULL CHECK (model_builders_ppm BETWEEN 0 AND 1000000),
    prompt_ppm                  integer     NOT NULL CHECK (prompt_ppm BETWEEN 0 AND 1000000),
    review_ppm                  integer     NOT NULL CHECK (review_ppm BETWEEN 0 AND 1000000),
    finetune_upstream_share_ppm integer     NOT NULL CHECK (finetune_upstream_share_ppm BETWEEN 0 AND 1000000),
    depth_limit                 integer     NOT NULL CHECK (depth_limit BETWEEN 0 AND 32),
    minimum_share_ppm           integer     NOT NULL CHECK (minimum_share_ppm BETWEEN 0 AND 1000000),
    dataset_item_fraction_ppm   integer     NOT NULL CHECK (dataset_item_fraction_ppm BETWEEN 0 AND 1000000),
    created_at                  timestamptz NOT NULL,
    PRIMARY KEY (policy_id, version),
    CHECK (training_data_ppm + architecture_ppm + model_builders_ppm + prompt_ppm + review_ppm = 1000000)
);

-- A version, once written, is history: the database itself refuses to change or remove it.
CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % is not allowed: rows are immutable', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER policy_version_immutable
    BEFORE UPDATE OR DELETE ON policy_version
    FOR EACH ROW EXECUTE FUNCTION reject_change();

-- The default policy, version 1 (docs/architecture.md explains its numbers).
INSERT INTO policy_version VALUES (
    '00000000-0000-7000-8000-000000000000', 1, 'default',
    'Tribute''s default: training data 40%, architecture 10%, model builders 25%, prompt 15%, review 10%; '
        || 'a finetune passes 30% of its model-side value to its base model, up to 8 steps, while that is at '
        || 'least 100 ppm of the output; 70% of a dataset''s value goes to its items'' creators.',
    400000, 100000, 250000, 150000, 100000,
    300000, 8, 100, 700000,
    '2026-01-01T00:00:00Z');

-- AIP-155 request ids of mutating RPCs and the response each first got (see IdempotentRequests).
CREATE TABLE idempotent_request (
    request_id     text PRIMARY KEY,
    rpc            text        NOT NULL,
    request_sha256 bytea       NOT NULL,
    response       bytea,
    created_at     timestamptz NOT NULL DEFAULT now()
);
