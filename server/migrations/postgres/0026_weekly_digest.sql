-- The weekly digest of each unit (server/src/notifications/weekly.rs): its
-- figures, frozen when written, travel with the notification (JSON); a
-- unit's week is written once, however many replicas run the clock.
ALTER TABLE notifications ADD COLUMN payload TEXT;
CREATE TABLE weekly_digests (
    unit_id       TEXT   NOT NULL REFERENCES units (id),
    -- The ISO week in the unit's own zone: 2026-W50.
    week          TEXT   NOT NULL,
    written_at_ms BIGINT NOT NULL,
    PRIMARY KEY (unit_id, week)
);
