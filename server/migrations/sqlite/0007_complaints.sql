-- Complaints (pengaduan). Keep in step with ../postgres/0007_complaints.sql.
-- A complaint is filed once (its id is the device's idempotency key, its code
-- the citizen's tracking code) and then only moves: every move is an event,
-- kept with who, when and why, and the row holds where it stands now.
CREATE TABLE complaints (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    service_id      TEXT NOT NULL REFERENCES services (id),
    -- the unit responsible now: the service's unit until a forward
    unit_id         TEXT NOT NULL REFERENCES units (id),
    response_id     TEXT,
    -- JSON array of item codes
    items           TEXT NOT NULL,
    body            TEXT NOT NULL,
    happened_on     TEXT,
    privacy         TEXT NOT NULL,
    channel         TEXT NOT NULL,
    submitted_at_ms BIGINT NOT NULL,
    received_at_ms  BIGINT NOT NULL,
    app_version     TEXT,
    -- SHA-256 of the canonical submission: a resend is a duplicate, a
    -- changed one a conflict
    content_hash    TEXT NOT NULL,
    state           TEXT NOT NULL,
    state_since_ms  BIGINT NOT NULL,
    verified_at_ms  BIGINT,
    reopened        BIGINT NOT NULL DEFAULT 0,
    rating          BIGINT
);
CREATE INDEX complaints_by_unit ON complaints (unit_id, state);

CREATE TABLE complaint_events (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    at_ms        BIGINT NOT NULL,
    -- the state entered
    state        TEXT NOT NULL,
    -- a staff account's e-mail, 'citizen' or 'system'
    actor        TEXT NOT NULL,
    note         TEXT,
    -- the unit responsible after this event
    unit_id      TEXT NOT NULL REFERENCES units (id)
);
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, at_ms);

CREATE TABLE complaint_messages (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    at_ms        BIGINT NOT NULL,
    -- 'citizen' or 'unit'
    sender       TEXT NOT NULL,
    -- the staff account's e-mail for the unit's messages
    author       TEXT,
    body         TEXT NOT NULL
);
CREATE INDEX complaint_messages_by_complaint ON complaint_messages (complaint_id, at_ms);

-- Photos and documents, in the database so that every replica serves them;
-- each id is the uploader's, so an upload sent twice is stored once.
CREATE TABLE complaint_attachments (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    -- 'citizen' (a photo of the problem) or 'unit' (evidence of the answer)
    sender       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    at_ms        BIGINT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX complaint_attachments_by_complaint ON complaint_attachments (complaint_id);
