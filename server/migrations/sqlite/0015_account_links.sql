-- Invitation and password-reset links (/admin, `suara user invite`): an
-- account an administrator creates has no password until the person opens
-- its link and chooses one (`password_set` 0 until then). A link is single
-- use, valid for 72 hours, revocable, and stored only as the SHA-256 hash of
-- its token.
ALTER TABLE accounts ADD COLUMN password_set BIGINT NOT NULL DEFAULT 1;

CREATE TABLE account_links (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    purpose       TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by    TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT,
    revoked_at_ms BIGINT,
    revoked_by    TEXT
);

CREATE INDEX account_links_account ON account_links (account_id);
