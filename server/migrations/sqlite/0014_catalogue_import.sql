-- Catalogue import (`suara catalog import`, /admin): agencies, units and
-- services may carry an English name beside their Indonesian one, kept so
-- that a catalogue exported and imported again is the same file.
ALTER TABLE agencies ADD COLUMN name_en TEXT;
ALTER TABLE units ADD COLUMN name_en TEXT;
ALTER TABLE services ADD COLUMN name_en TEXT;

-- A file an administrator uploaded on /admin, kept between its preview and
-- its being applied (in the database, so any replica can apply it); removed
-- when applied, and a day after it was uploaded.
CREATE TABLE catalogue_uploads (
    id           TEXT PRIMARY KEY,
    file_name    TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    at_ms        BIGINT NOT NULL
);
