-- What a unit adds to its SKM report for a period (app::domain::report):
-- the public consultation forum's day, who signs, how the sample was
-- reached. One row per unit and period, kept by its head or an
-- administrator; every change is in the audit log.
CREATE TABLE report_details (
    unit_id            TEXT NOT NULL REFERENCES units (id),
    period             TEXT NOT NULL,
    fkp_date           TEXT,
    signatory_name     TEXT NOT NULL,
    signatory_position TEXT NOT NULL,
    signatory_nip      TEXT NOT NULL,
    sampling           TEXT NOT NULL,
    updated_at_ms      BIGINT NOT NULL,
    updated_by         TEXT NOT NULL,
    PRIMARY KEY (unit_id, period)
);
-- The report frozen with a publication's figures (a PublishedReport, JSON).
ALTER TABLE publications ADD COLUMN report TEXT;
