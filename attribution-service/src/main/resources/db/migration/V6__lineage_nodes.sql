-- Lineage nodes stored once. A lineage snapshot's nodes are registry assets, which never change; an attribution's
-- canonical inputs held every node's canonical JSON again (for 100 influence scores, about 19 KB of its 50).
-- Each node's form is now stored once, and an attribution's canonical_inputs leaves the lineage's node list
-- empty: lineage_node_ids names the nodes in order and lineage_nodes_at is the byte offset where their forms,
-- comma-separated, go back. Attributions stored before this version keep their full inputs (both columns NULL).
CREATE TABLE lineage_node (
    asset_id uuid PRIMARY KEY,
    -- The node's canonical JSON (RFC 8785) as it appears in a lineage snapshot.
    form     text NOT NULL
);

CREATE TRIGGER lineage_node_append_only BEFORE UPDATE OR DELETE ON lineage_node
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER lineage_node_no_truncate BEFORE TRUNCATE ON lineage_node
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();

ALTER TABLE attribution
    ADD COLUMN lineage_node_ids uuid[],
    ADD COLUMN lineage_nodes_at integer,
    ADD CONSTRAINT attribution_lineage_nodes CHECK ((lineage_node_ids IS NULL) = (lineage_nodes_at IS NULL)
        AND lineage_nodes_at BETWEEN 0 AND octet_length(canonical_inputs));
