-- asset_creator's references are checked once per statement instead of by two foreign keys: a foreign key runs a
-- look-up and takes a row lock for every inserted row (two per creator), the largest cost of a streamed
-- registration in PostgreSQL (bench/RESULTS.md, registry). The invariant stays in the database:
-- 1. every statement that inserts or updates creator rows fails (foreign_key_violation) unless each names an
--    existing contributor and an existing asset (one anti-join over the statement's rows);
-- 2. contributor and asset rows are never deleted, truncated or given another id (restrict_violation), so no row
--    a creator names can disappear, and no check can race a concurrent removal (which the foreign keys' row locks
--    prevented). The service never deletes either: assets are immutable and contributors are kept.
-- IF EXISTS: some development databases had these keys dropped by an experiment.
ALTER TABLE asset_creator DROP CONSTRAINT IF EXISTS asset_creator_asset_id_fkey;
ALTER TABLE asset_creator DROP CONSTRAINT IF EXISTS asset_creator_contributor_id_fkey;

CREATE FUNCTION asset_creator_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM written_creators w
                WHERE NOT EXISTS (SELECT 1 FROM contributor c WHERE c.id = w.contributor_id)) THEN
        RAISE EXCEPTION 'asset_creator names a contributor that does not exist' USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM written_creators w WHERE NOT EXISTS (SELECT 1 FROM asset a WHERE a.id = w.asset_id)) THEN
        RAISE EXCEPTION 'asset_creator names an asset that does not exist' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER asset_creator_inserted_references AFTER INSERT ON asset_creator
    REFERENCING NEW TABLE AS written_creators FOR EACH STATEMENT EXECUTE FUNCTION asset_creator_references_exist();
CREATE TRIGGER asset_creator_updated_references AFTER UPDATE ON asset_creator
    REFERENCING NEW TABLE AS written_creators FOR EACH STATEMENT EXECUTE FUNCTION asset_creator_references_exist();

CREATE FUNCTION registry_row_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id IS NOT DISTINCT FROM OLD.id THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% rows are never deleted, truncated or given another id', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER contributor_is_kept BEFORE DELETE OR UPDATE OF id ON contributor
    FOR EACH ROW EXECUTE FUNCTION registry_row_is_kept();
CREATE TRIGGER contributor_is_not_truncated BEFORE TRUNCATE ON contributor
    FOR EACH STATEMENT EXECUTE FUNCTION registry_row_is_kept();
CREATE TRIGGER asset_is_kept BEFORE DELETE OR UPDATE OF id ON asset
    FOR EACH ROW EXECUTE FUNCTION registry_row_is_kept();
CREATE TRIGGER asset_is_not_truncated BEFORE TRUNCATE ON asset
    FOR EACH STATEMENT EXECUTE FUNCTION registry_row_is_kept();
