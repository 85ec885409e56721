-- The leadership role (read-only, for a regent's office or an inspectorate)
-- is scoped to agencies: it reads every unit of each, including units
-- added to the agency later.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('admin', 'unit-head', 'auditor', 'leadership'));
CREATE TABLE account_agencies (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (account_id, agency_id)
);
