-- The citizen's key (domain::complaint::key): only its SHA-256 hash is
-- kept. A complaint filed before keys existed has none until the first
-- device that acts on it presents one, which it then keeps.
ALTER TABLE complaints ADD COLUMN key_hash TEXT;
