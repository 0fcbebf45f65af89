-- Immutable, content-addressed assets: one asset per content hash.
CREATE TABLE asset (
    id            uuid PRIMARY KEY,
    -- tribute.common.v1.AssetKind number.
    kind          smallint    NOT NULL CHECK (kind BETWEEN 1 AND 7),
    -- SHA-256 of the content (for a DATASET: the RFC 9162 Merkle root of its sorted member hashes).
    sha256        bytea       NOT NULL UNIQUE CHECK (length(sha256) = 32),
    size_bytes    bigint      NOT NULL CHECK (size_bytes >= 0),
    media_type    text        NOT NULL,
    uri           text        NOT NULL,
    license       text        NOT NULL,
    display_name  text        NOT NULL,
    attributes    jsonb       NOT NULL,
    -- DATASET: number of members; 0 for other kinds.
    item_count    bigint      NOT NULL DEFAULT 0,
    registered_at timestamptz NOT NULL
);
CREATE INDEX asset_kind ON asset (kind, id);

-- Creators of an asset with their shares.
-- For manifests (V4__manifests.sql): payout_account is the creator's CAIP-10 payout account AT REGISTRATION
-- (copied from contributor.payout_account in the registering transaction; null when none was bound) —
-- "creators with their payout accounts at the time". It never changes afterwards.
CREATE TABLE asset_creator (
    asset_id       uuid    NOT NULL REFERENCES asset (id),
    contributor_id uuid    NOT NULL REFERENCES contributor (id),
    share_ppm      integer NOT NULL CHECK (share_ppm BETWEEN 1 AND 1000000),
    payout_account text,
    PRIMARY KEY (asset_id, contributor_id)
);
CREATE INDEX asset_creator_contributor ON asset_creator (contributor_id, asset_id);

-- Declared lineage edges child → parent (tribute.common.v1.EdgeType number; CONTAINS is never stored here).
CREATE TABLE asset_parent (
    child_id   uuid     NOT NULL REFERENCES asset (id),
    parent_id  uuid     NOT NULL REFERENCES asset (id),
    edge_type  smallint NOT NULL CHECK (edge_type BETWEEN 1 AND 6 AND edge_type <> 5),
    weight_ppm integer  NOT NULL CHECK (weight_ppm BETWEEN 0 AND 1000000),
    PRIMARY KEY (child_id, parent_id, edge_type)
);
CREATE INDEX asset_parent_parent ON asset_parent (parent_id, child_id);

-- Members of a dataset in leaf order (ascending item sha256): the Merkle tree's leaves.
-- No foreign keys: the service checks every member, and a million FK checks would dominate registration.
CREATE TABLE dataset_member (
    dataset_id  uuid   NOT NULL,
    leaf_index  bigint NOT NULL,
    item_id     uuid   NOT NULL,
    item_sha256 bytea  NOT NULL,
    PRIMARY KEY (dataset_id, leaf_index)
);
-- Descendants of an item (the datasets containing it) and proofs by item.
CREATE INDEX dataset_member_item ON dataset_member (item_id, dataset_id);

-- Hashes of the dataset tree's perfect subtrees of 2^chunk-level leaves and above (see DatasetTree); the
-- lower levels are recomputed from at most two chunks of dataset_member, so a proof reads O(log n) rows.
CREATE TABLE dataset_subtree (
    dataset_id uuid     NOT NULL REFERENCES asset (id),
    level      smallint NOT NULL,
    node_index bigint   NOT NULL,
    hash       bytea    NOT NULL,
    PRIMARY KEY (dataset_id, level, node_index)
);

-- The creators of a dataset's items, aggregated once at registration (GetLineage's dataset_item_creators):
-- weight = Σ share_ppm over the items, item_count = items this contributor is a creator of.
CREATE TABLE dataset_item_creator (
    dataset_id     uuid   NOT NULL REFERENCES asset (id),
    contributor_id uuid   NOT NULL,
    weight         bigint NOT NULL,
    item_count     bigint NOT NULL,
    PRIMARY KEY (dataset_id, contributor_id)
);
