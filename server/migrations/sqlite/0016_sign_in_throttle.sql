-- Sign-in throttling by account *and* address instead of one count per
-- email that anyone could use to lock a member of staff out. One row per
-- (email, address) pair that failed, and one per address (email '') across
-- every account it tried: `failures` within the window, and the instant
-- before which that pair (or address) may not try again. The count is taken
-- before the password is checked, in one statement, so parallel guesses
-- get no more tries than serial ones.
DROP TABLE sign_in_failures;

CREATE TABLE sign_in_throttle (
    email         TEXT NOT NULL,
    address       TEXT NOT NULL,
    failures      BIGINT NOT NULL,
    first_ms      BIGINT NOT NULL,
    last_ms       BIGINT NOT NULL,
    not_before_ms BIGINT NOT NULL,
    PRIMARY KEY (email, address)
);
CREATE INDEX sign_in_throttle_last ON sign_in_throttle (last_ms);
