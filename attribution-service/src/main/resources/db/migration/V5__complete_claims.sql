-- An AttributeOutput's request_id is claimed already complete, naming the attribution that the same transaction
-- inserts afterwards: its reference is checked at commit, and the UPDATE that completed each claim is gone.
ALTER TABLE idempotent_request ALTER CONSTRAINT idempotent_request_attribution_id_fkey DEFERRABLE INITIALLY DEFERRED;
