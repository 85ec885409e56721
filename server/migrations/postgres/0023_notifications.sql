-- Notifications: the outbox of messages an event calls for, written in the
-- event's own transaction (store::notifications) and sent by the sender task
-- (server/src/notifications). One row per person, kind and subject: writing it
-- twice is a no-op, so an event retried or replayed never sends twice.
CREATE TABLE notifications (
    account_id         TEXT   NOT NULL REFERENCES accounts (id),
    -- complaint-filed, complaint-forwarded, complaint-replied,
    -- complaint-disputed, deadline-near, overdue, account-link
    kind               TEXT   NOT NULL,
    -- What it is about, unique within the kind: a complaint's id (with the
    -- deadline for deadline-near and overdue), a link's id.
    subject            TEXT   NOT NULL,
    complaint_id       TEXT   REFERENCES complaints (id),
    -- For account-link only: the one-time link, forgotten once sent.
    secret             TEXT,
    created_at_ms      BIGINT NOT NULL,
    -- 'immediate' or 'digest' (the person's choice when it was written).
    delivery           TEXT   NOT NULL,
    -- Not before: now for immediate, the next digest hour for digest;
    -- later after a failed attempt (backoff).
    next_attempt_at_ms BIGINT NOT NULL,
    attempts           BIGINT NOT NULL DEFAULT 0,
    last_error         TEXT,
    -- A sender (one of several replicas) holding it until claimed_until_ms.
    claimed_by         TEXT,
    claimed_until_ms   BIGINT,
    sent_at_ms         BIGINT,
    -- SHA-256 of the one-click unsubscribe token its message carried.
    unsubscribe_hash   TEXT,
    PRIMARY KEY (account_id, kind, subject)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at_ms) WHERE sent_at_ms IS NULL;
CREATE INDEX notifications_of_account ON notifications (account_id, created_at_ms);
CREATE INDEX notifications_unsubscribe ON notifications (unsubscribe_hash);

-- Each person's choice per kind: 'immediate', 'digest' or 'off'. No row: the
-- kind's default (store::notifications::Kind::default_delivery).
CREATE TABLE notification_preferences (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    kind       TEXT NOT NULL,
    delivery   TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (account_id, kind)
);

-- The language messages to the account are written in ('id' or 'en').
ALTER TABLE accounts ADD COLUMN lang TEXT NOT NULL DEFAULT 'id';
