-- Failed sign-ins, per normalised email: more than a few within a window
-- and the email is refused until the window has passed (in the database, so
-- that every replica counts the same attempts).
CREATE TABLE sign_in_failures (
    email  TEXT NOT NULL,
    at_ms  BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at_ms);
