-- Attributions: one per output content hash, immutable, each the leaf log_index of the transparency log.
CREATE TABLE attribution (
    attribution_id   uuid        PRIMARY KEY,
    output_sha256    text        NOT NULL UNIQUE,
    platform_ref     text        NOT NULL,
    produced_at      timestamptz NOT NULL,
    policy_id        uuid        NOT NULL,
    policy_version   integer     NOT NULL,
    attribution_hash text        NOT NULL,
    log_index        bigint      NOT NULL UNIQUE REFERENCES log_leaf (leaf_index),
    created_at       timestamptz NOT NULL,
    -- The Attribution message as returned (explanations truncated per share; evidence not included).
    record           bytea       NOT NULL,
    -- The Evidence message as given (NULL when none).
    evidence         bytea,
    -- The canonical inputs (RFC 8785 JSON) that the digests cover: what RecomputeAttribution replays.
    canonical_inputs bytea       NOT NULL,
    FOREIGN KEY (policy_id, policy_version) REFERENCES policy_version (policy_id, version)
);
CREATE INDEX attribution_platform_ref ON attribution (platform_ref, log_index);
CREATE INDEX attribution_produced_at ON attribution (produced_at);

-- Each contributor's share of an attribution, and the part of it (ppt) that came through each role.
CREATE TABLE attribution_share (
    attribution_id uuid     NOT NULL REFERENCES attribution,
    contributor_id uuid     NOT NULL,
    role           smallint NOT NULL,
    share_ppm      integer  NOT NULL,
    value_ppt      bigint   NOT NULL,
    PRIMARY KEY (attribution_id, contributor_id, role)
);
CREATE INDEX attribution_share_contributor ON attribution_share (contributor_id, attribution_id);

-- The value (ppt) that reached each credited asset through each role, and every asset on any path.
CREATE TABLE attribution_asset (
    attribution_id uuid     NOT NULL REFERENCES attribution,
    asset_id       uuid     NOT NULL,
    role           smallint NOT NULL,
    asset_kind     smallint NOT NULL,
    value_ppt      bigint   NOT NULL,
    PRIMARY KEY (attribution_id, asset_id, role)
);
CREATE INDEX attribution_asset_asset ON attribution_asset (asset_id, attribution_id);

CREATE TRIGGER attribution_immutable BEFORE UPDATE OR DELETE ON attribution
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER attribution_share_immutable BEFORE UPDATE OR DELETE ON attribution_share
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER attribution_asset_immutable BEFORE UPDATE OR DELETE ON attribution_asset
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER attribution_no_truncate BEFORE TRUNCATE ON attribution
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
CREATE TRIGGER attribution_share_no_truncate BEFORE TRUNCATE ON attribution_share
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
CREATE TRIGGER attribution_asset_no_truncate BEFORE TRUNCATE ON attribution_asset
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
