-- The follow-up plan (rencana tindak lanjut) of a published period: what the
-- unit will do about its weakest elements, who, by when, how far it got,
-- and the evidence when done. Keep in step with ../sqlite/0010_follow_up.sql.
CREATE TABLE follow_up_actions (
    id             TEXT PRIMARY KEY,
    publication_id TEXT NOT NULL REFERENCES publications (id),
    -- the service element (item code) it answers
    item           TEXT NOT NULL,
    action         TEXT NOT NULL,
    responsible    TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    -- planned, in_progress, done or dropped
    status         TEXT NOT NULL,
    -- why it was dropped
    reason         TEXT,
    created_at_ms  BIGINT NOT NULL,
    updated_at_ms  BIGINT NOT NULL
);
CREATE INDEX follow_up_by_publication ON follow_up_actions (publication_id);

-- Evidence of an action done: photos (metadata removed) or PDFs.
CREATE TABLE follow_up_files (
    id           TEXT PRIMARY KEY,
    action_id    TEXT NOT NULL REFERENCES follow_up_actions (id),
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    at_ms        BIGINT NOT NULL,
    data         BYTEA NOT NULL
);
CREATE INDEX follow_up_files_by_action ON follow_up_files (action_id);
