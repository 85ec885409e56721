-- Catalogue import (`suara catalog import`, /admin): agencies, units and
-- services may carry an English name beside their Indonesian one, kept so
-- that a catalogue exported and imported again is the same file.
ALTER TABLE agencies ADD COLUMN name_en TEXT;
ALTER TABLE units ADD COLUMN name_en TEXT;
ALTER TABLE services ADD COLUMN name_en TEXT;
