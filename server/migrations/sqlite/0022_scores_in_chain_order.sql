-- Scores and flags keyed by their response's place in the chain (seq)
-- rather than by its id. The id is random (the phone makes it), so every
-- response's score rows landed on a random page of the table's index; in
-- chain order they are appended, and a sync writes a quarter fewer pages.
-- Store::migrate chains any response stored before the chain existed before
-- this runs, so every response has its seq.
CREATE TABLE response_scores_by_seq (
    response_seq BIGINT NOT NULL REFERENCES responses (seq),
    item_code    TEXT NOT NULL,
    score        BIGINT NOT NULL CHECK (score BETWEEN 1 AND 4),
    PRIMARY KEY (response_seq, item_code)
) WITHOUT ROWID;
INSERT INTO response_scores_by_seq (response_seq, item_code, score)
    SELECT r.seq, s.item_code, s.score
    FROM response_scores s JOIN responses r ON r.id = s.response_id;
DROP TABLE response_scores;
ALTER TABLE response_scores_by_seq RENAME TO response_scores;

CREATE TABLE response_flags_by_seq (
    response_seq   BIGINT NOT NULL REFERENCES responses (seq),
    reason         TEXT NOT NULL,
    flagged_at_ms  BIGINT NOT NULL,
    cleared_at_ms  BIGINT,
    cleared_by     TEXT,
    cleared_reason TEXT,
    PRIMARY KEY (response_seq, reason)
) WITHOUT ROWID;
INSERT INTO response_flags_by_seq
    (response_seq, reason, flagged_at_ms, cleared_at_ms, cleared_by, cleared_reason)
    SELECT r.seq, f.reason, f.flagged_at_ms, f.cleared_at_ms, f.cleared_by, f.cleared_reason
    FROM response_flags f JOIN responses r ON r.id = f.response_id;
DROP TABLE response_flags;
ALTER TABLE response_flags_by_seq RENAME TO response_flags;
