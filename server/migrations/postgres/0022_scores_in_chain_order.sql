-- Scores and flags keyed by their response's place in the chain (seq)
-- rather than by its id. The id is random (the phone makes it), so every
-- response's score rows landed on a random page of the table's index; in
-- chain order they are appended. Store::migrate chains any response stored
-- before the chain existed before this runs, so every response has its seq.
ALTER TABLE response_scores ADD COLUMN response_seq BIGINT;
UPDATE response_scores s SET response_seq = r.seq FROM responses r WHERE r.id = s.response_id;
ALTER TABLE response_scores DROP CONSTRAINT response_scores_pkey;
ALTER TABLE response_scores DROP COLUMN response_id;
ALTER TABLE response_scores ALTER COLUMN response_seq SET NOT NULL;
ALTER TABLE response_scores ADD PRIMARY KEY (response_seq, item_code);
ALTER TABLE response_scores ADD FOREIGN KEY (response_seq) REFERENCES responses (seq);

ALTER TABLE response_flags ADD COLUMN response_seq BIGINT;
UPDATE response_flags f SET response_seq = r.seq FROM responses r WHERE r.id = f.response_id;
ALTER TABLE response_flags DROP CONSTRAINT response_flags_pkey;
ALTER TABLE response_flags DROP COLUMN response_id;
ALTER TABLE response_flags ALTER COLUMN response_seq SET NOT NULL;
ALTER TABLE response_flags ADD PRIMARY KEY (response_seq, reason);
ALTER TABLE response_flags ADD FOREIGN KEY (response_seq) REFERENCES responses (seq);
