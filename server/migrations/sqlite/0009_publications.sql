-- Published SKM periods (Permenpan RB 14/2017: units publish their results).
-- A publication freezes a unit's figures for a period together with the
-- response chain's sequence number and hash they were computed from, so
-- anyone can recompute them from an export. Never edited: a correction is a
-- new publication that supersedes the earlier one, and both stay.
-- Keep in step with ../postgres/0009_publications.sql.
CREATE TABLE publications (
    id              TEXT PRIMARY KEY,
    unit_id         TEXT NOT NULL REFERENCES units (id),
    -- 2026, 2026-S1, 2026-Q3 or 2026-11
    period          TEXT NOT NULL,
    up_to_seq       BIGINT NOT NULL,
    chain_hash      TEXT NOT NULL,
    -- the figures as /api/v1/summary gives them (JSON)
    figures         TEXT NOT NULL,
    published_at_ms BIGINT NOT NULL,
    published_by    TEXT NOT NULL,
    supersedes      TEXT REFERENCES publications (id)
);
CREATE INDEX publications_by_unit ON publications (unit_id, published_at_ms);
