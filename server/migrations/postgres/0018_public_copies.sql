-- The public copy of every complaint text, note and message, redacted once
-- when it is written (domain::complaint::redact) and kept beside the
-- original: what anyone but the unit reads, without redacting on every read.
-- Rows written before this migration get theirs at the next start
-- (Store::fill_public_copies).
ALTER TABLE complaints ADD COLUMN public_body TEXT;
ALTER TABLE complaint_events ADD COLUMN public_note TEXT;
ALTER TABLE complaint_messages ADD COLUMN public_body TEXT;
