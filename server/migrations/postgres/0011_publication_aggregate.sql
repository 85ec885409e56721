-- A publication's anonymised aggregate (JSON): the counts and sums its
-- figures were computed from, never a response, so anyone can recompute the
-- figures. Written with the publication and never changed; its SHA-256 is
-- in the publication's audit entry. Empty for publications made before.
ALTER TABLE publications ADD COLUMN aggregate TEXT;
