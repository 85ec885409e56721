-- The leadership role (read-only, for a regent's office or an inspectorate)
-- is scoped to agencies: it reads every unit of each, including units
-- added to the agency later.
--
-- SQLite cannot change a CHECK constraint in place, and rebuilding the
-- accounts table inside the migration's transaction breaks the foreign
-- keys that point at it. Widening a CHECK changes nothing stored, so the
-- table's definition is edited as SQLite's documentation allows for such
-- changes (ALTER TABLE, "other kinds of table schema changes"); the
-- CREATE TABLE after it bumps the schema version, so every connection
-- reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''unit-head'', ''auditor'')', '''unit-head'', ''auditor'', ''leadership'')')
WHERE type = 'table' AND name = 'accounts';
PRAGMA writable_schema = OFF;
CREATE TABLE account_agencies (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (account_id, agency_id)
);
