-- The per-output rows that ListAttributions and SummarizeAttributions read, stored compactly: one row per
-- attribution with parallel arrays instead of one row per contributor and role (attribution_share) and per
-- asset and role (attribution_asset). An output with 100 influence scores wrote ~215 rows and ~430 index
-- entries; it now writes one row (arrays stored out of line, compressed) and the GIN entries of its
-- contributor and asset ids. The values are the same; queries unnest the arrays.
CREATE TABLE attribution_detail (
    attribution_id  uuid       PRIMARY KEY REFERENCES attribution,
    -- Per contributor with a share and per role (element i of each array): the contributor, the role
    -- (tribute.common.v1.Role number), the rounded share_ppm and the exact value (ppt) through that role.
    share_contributor_ids uuid[]     NOT NULL,
    share_roles           smallint[] NOT NULL,
    share_ppm             integer[]  NOT NULL,
    share_value_ppt       bigint[]   NOT NULL,
    -- Per asset on any path and per role: the asset, the role, its kind (AssetKind number) and the value
    -- (ppt) credited to it (0 if only passed through).
    asset_ids             uuid[]     NOT NULL,
    asset_roles           smallint[] NOT NULL,
    asset_kinds           smallint[] NOT NULL,
    asset_value_ppt       bigint[]   NOT NULL,
    CHECK (cardinality(share_roles) = cardinality(share_contributor_ids)
        AND cardinality(share_ppm) = cardinality(share_contributor_ids)
        AND cardinality(share_value_ppt) = cardinality(share_contributor_ids)),
    CHECK (cardinality(asset_roles) = cardinality(asset_ids)
        AND cardinality(asset_kinds) = cardinality(asset_ids)
        AND cardinality(asset_value_ppt) = cardinality(asset_ids))
);
-- ListAttributions by contributor / by asset: `ids @> ARRAY[$1]`.
CREATE INDEX attribution_detail_contributors ON attribution_detail USING gin (share_contributor_ids);
CREATE INDEX attribution_detail_assets ON attribution_detail USING gin (asset_ids);

-- Attributions stored before this version keep their values (same order: by contributor/asset, then role).
INSERT INTO attribution_detail
SELECT a.attribution_id,
       coalesce(s.contributors, '{}'), coalesce(s.roles, '{}'), coalesce(s.ppm, '{}'), coalesce(s.ppt, '{}'),
       coalesce(x.assets, '{}'), coalesce(x.roles, '{}'), coalesce(x.kinds, '{}'), coalesce(x.ppt, '{}')
FROM attribution a
LEFT JOIN (SELECT attribution_id, array_agg(contributor_id ORDER BY contributor_id, role) AS contributors,
                  array_agg(role ORDER BY contributor_id, role) AS roles,
                  array_agg(share_ppm ORDER BY contributor_id, role) AS ppm,
                  array_agg(value_ppt ORDER BY contributor_id, role) AS ppt
           FROM attribution_share GROUP BY attribution_id) s USING (attribution_id)
LEFT JOIN (SELECT attribution_id, array_agg(asset_id ORDER BY asset_id, role) AS assets,
                  array_agg(role ORDER BY asset_id, role) AS roles,
                  array_agg(asset_kind ORDER BY asset_id, role) AS kinds,
                  array_agg(value_ppt ORDER BY asset_id, role) AS ppt
           FROM attribution_asset GROUP BY attribution_id) x USING (attribution_id);

DROP TABLE attribution_share;
DROP TABLE attribution_asset;

CREATE TRIGGER attribution_detail_immutable BEFORE UPDATE OR DELETE ON attribution_detail
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER attribution_detail_no_truncate BEFORE TRUNCATE ON attribution_detail
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();

-- A completed AttributeOutput's stored response is its attribution's record (the response is exactly
-- {attribution: record}): the request row names the attribution instead of holding a second copy, and
-- replays read the record. Rows written before this version keep their full response (attribution_id NULL).
ALTER TABLE idempotent_request ADD COLUMN attribution_id uuid REFERENCES attribution;
