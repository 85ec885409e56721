-- The integrity monitor (app/src/domain/integrity.rs): a device id sent with
-- each response, the flags given at arrival (an auditor may clear one, with a
-- reason), and what the monitor remembers between arrivals.
ALTER TABLE responses ADD COLUMN device_id TEXT;

CREATE TABLE response_flags (
    response_id    TEXT NOT NULL REFERENCES responses (id),
    reason         TEXT NOT NULL,
    flagged_at_ms  BIGINT NOT NULL,
    cleared_at_ms  BIGINT,
    cleared_by     TEXT,
    cleared_reason TEXT,
    PRIMARY KEY (response_id, reason)
);

-- Ratings of a service from one device on one UTC day.
CREATE TABLE integrity_devices (
    service_id TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    day        BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (service_id, device_id, day)
);

-- Responses to a unit in one UTC hour (by the time answered).
CREATE TABLE integrity_hours (
    unit_id TEXT NOT NULL,
    hour    BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (unit_id, hour)
);

-- Each service's current run of identical answer sheets.
CREATE TABLE integrity_runs (
    service_id TEXT PRIMARY KEY,
    vector     TEXT NOT NULL,
    run        BIGINT NOT NULL
);
