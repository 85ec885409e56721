-- Tamper evidence: every accepted response gets the next sequence number and
-- a chain hash, chain_hash = SHA-256(previous chain_hash ‖ content_hash) over
-- the raw 32-byte digests (the first response's previous is 32 zero bytes),
-- assigned inside the transaction that accepts it. `chain_head` holds the
-- last link; ingest locks it first, so concurrent batches (and replicas on
-- one PostgreSQL) still make one unbroken chain. Responses stored before this
-- migration are chained by the server at start-up, in (received_at, id)
-- order. Keep in step with the other engine's migration.
ALTER TABLE responses ADD COLUMN seq BIGINT;
ALTER TABLE responses ADD COLUMN chain_hash TEXT;
CREATE UNIQUE INDEX responses_by_seq ON responses (seq);

CREATE TABLE chain_head (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    seq        BIGINT NOT NULL,
    chain_hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, chain_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
