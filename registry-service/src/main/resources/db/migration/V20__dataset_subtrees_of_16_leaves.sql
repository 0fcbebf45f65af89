-- Membership proofs now read chunks of 2^4 leaves instead of 2^8 (DatasetTree.CHUNK_LEVEL 8 → 4), so the perfect
-- subtrees of levels 4 to 7 are stored too. For datasets registered before, compute them here from their members,
-- with RFC 9162 hashing: leaf = SHA-256(0x00 ‖ item sha256), node = SHA-256(0x01 ‖ left ‖ right). A node exists
-- only where both children do, so only perfect subtrees are produced.
CREATE TEMPORARY TABLE subtree_level AS
    SELECT dataset_id, leaf_index AS node_index, sha256('\x00'::bytea || item_sha256) AS hash
      FROM dataset_member;

DO $$
BEGIN
    FOR height IN 1..7 LOOP
        CREATE TEMPORARY TABLE subtree_next AS
            SELECT l.dataset_id, l.node_index / 2 AS node_index, sha256('\x01'::bytea || l.hash || r.hash) AS hash
              FROM subtree_level l
              JOIN subtree_level r ON r.dataset_id = l.dataset_id AND r.node_index = l.node_index + 1
             WHERE l.node_index % 2 = 0;
        DROP TABLE subtree_level;
        ALTER TABLE subtree_next RENAME TO subtree_level;
        IF height >= 4 THEN
            INSERT INTO dataset_subtree (dataset_id, level, node_index, hash)
            SELECT dataset_id, height, node_index, hash FROM subtree_level
            ON CONFLICT (dataset_id, level, node_index) DO NOTHING;
        END IF;
    END LOOP;
END $$;

DROP TABLE subtree_level;
