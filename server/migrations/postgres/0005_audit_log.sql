-- Every administrative change: who, what, when, and the record before and
-- after (JSON), written in the transaction that makes the change.
CREATE TABLE audit_log (
    id      TEXT PRIMARY KEY,
    at_ms   BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    before  TEXT,
    after   TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
