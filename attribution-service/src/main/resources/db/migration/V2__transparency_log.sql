-- The attribution transparency log (RFC 9162 hashing). Append-only: the database refuses UPDATE, DELETE and
-- TRUNCATE of its tables, so history cannot be rewritten even by a bug in the service.

-- One row per leaf, in append order; leaf_data is the 32 raw bytes of the attribution's hash.
CREATE TABLE log_leaf (
    leaf_index  bigint      PRIMARY KEY CHECK (leaf_index >= 0),
    leaf_data   bytea       NOT NULL CHECK (length(leaf_data) = 32),
    appended_at timestamptz NOT NULL DEFAULT now()
);

-- Hashes of the perfect subtrees: (level, node_index) is the root over the leaves
-- [node_index·2^level, (node_index+1)·2^level); level 0 holds the leaf hashes. A node is written once, when
-- its last leaf is appended, so any root or proof needs O(log n) rows.
CREATE TABLE log_node (
    level      smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
    node_index bigint   NOT NULL CHECK (node_index >= 0),
    hash       bytea    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, node_index)
);

-- Signed checkpoints (C2SP signed notes), one per published tree size.
CREATE TABLE log_checkpoint (
    tree_size    bigint      PRIMARY KEY CHECK (tree_size >= 0),
    root_hash    bytea       NOT NULL CHECK (length(root_hash) = 32),
    signed_at    timestamptz NOT NULL,
    note         text        NOT NULL,
    signature    bytea       NOT NULL CHECK (length(signature) = 64),
    key_name     text        NOT NULL,
    key_id       text        NOT NULL,
    verifier_key text        NOT NULL
);

CREATE TRIGGER log_leaf_append_only BEFORE UPDATE OR DELETE ON log_leaf
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER log_leaf_no_truncate BEFORE TRUNCATE ON log_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
CREATE TRIGGER log_node_append_only BEFORE UPDATE OR DELETE ON log_node
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER log_node_no_truncate BEFORE TRUNCATE ON log_node
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
CREATE TRIGGER log_checkpoint_append_only BEFORE UPDATE OR DELETE ON log_checkpoint
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER log_checkpoint_no_truncate BEFORE TRUNCATE ON log_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
