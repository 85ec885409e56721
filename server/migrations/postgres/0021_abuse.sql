-- A complaint staff closed as abuse (spam, threats, insults): when they
-- decided it. Never shown to the public again, even if it was verified
-- before (store::complaints::PUBLISHABLE).
ALTER TABLE complaints ADD COLUMN abuse_at_ms BIGINT;
