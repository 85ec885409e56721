-- The published complaint feed (Open311) is read a page at a time, newest
-- first, in SQL: this index serves its order without a sort of the table.
CREATE INDEX complaints_by_received ON complaints (received_at_ms);
