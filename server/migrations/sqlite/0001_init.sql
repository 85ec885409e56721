-- Suara's first schema (SQLite). Keep in step with ../postgres/0001_init.sql.
-- Ids are UUID text; times are milliseconds since the Unix epoch (UTC).

CREATE TABLE agencies (
    id   TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE units (
    id            TEXT PRIMARY KEY,
    agency_id     TEXT NOT NULL REFERENCES agencies (id),
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    yearly_volume BIGINT
);

CREATE TABLE questionnaires (
    id            TEXT NOT NULL,
    version       BIGINT NOT NULL,
    name_id       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    method        TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE questionnaire_items (
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    position              BIGINT NOT NULL,
    code                  TEXT NOT NULL,
    label_id              TEXT NOT NULL,
    label_en              TEXT NOT NULL,
    question_id           TEXT NOT NULL,
    question_en           TEXT NOT NULL,
    -- [{"id": "...", "en": "..."}, ×4] for answers 1..4
    options_json          TEXT NOT NULL,
    PRIMARY KEY (questionnaire_id, questionnaire_version, code),
    UNIQUE (questionnaire_id, questionnaire_version, position),
    FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaires (id, version)
);

CREATE TABLE services (
    id                    TEXT PRIMARY KEY,
    unit_id               TEXT NOT NULL REFERENCES units (id),
    code                  TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaires (id, version)
);

CREATE TABLE responses (
    id                    TEXT PRIMARY KEY,
    service_id            TEXT NOT NULL REFERENCES services (id),
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    -- when periods count it: the reported time, never later than receipt
    answered_at_ms        BIGINT NOT NULL,
    received_at_ms        BIGINT NOT NULL,
    channel               TEXT NOT NULL,
    comment               TEXT,
    -- the canonical serialisation of what was submitted, and its SHA-256
    content               TEXT NOT NULL,
    content_hash          TEXT NOT NULL,
    FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaires (id, version)
);
CREATE INDEX responses_by_service_time ON responses (service_id, answered_at_ms);
CREATE INDEX responses_by_time ON responses (answered_at_ms);

CREATE TABLE response_scores (
    response_id TEXT NOT NULL REFERENCES responses (id),
    item_code   TEXT NOT NULL,
    score       BIGINT NOT NULL CHECK (score BETWEEN 1 AND 4),
    PRIMARY KEY (response_id, item_code)
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'unit-head', 'auditor')),
    password_hash TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE account_units (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    unit_id    TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (account_id, unit_id)
);

-- Session and API tokens are stored only as SHA-256 hashes.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    created_at_ms BIGINT NOT NULL
);
