-- Roll-ups, packed: one row per service × questionnaire version × slice ×
-- period, at three grains — `day` (day = that day), `week` (day = its Monday)
-- and `month` (day = its first day) — so that a year is read as 12 month rows
-- rather than 365 day rows × 46 item and pair rows. Days since 1970-01-01 of
-- `answered_at`, UTC, as before. A slice is everyone (attribute = '', value =
-- '') or one value of one respondent attribute (value 'not-stated' when left
-- blank).
--
-- `items`: `CODE c1 c2 c3 c4` per item, `;`-separated, in code order (how many
-- answered 1, 2, 3 and 4). `pairs` (everyone only, else empty): `A B n Σa Σb
-- Σab` per pair of items A < B, over respondents who scored both — what the
-- index's interval needs. Rows are rewritten whole in the transaction that
-- accepts the responses they count.
--
-- The old per-item tables are dropped; `Store::migrate` rebuilds the roll-ups
-- from the responses when they are empty and scored responses exist. Keep in
-- step with the other engine's migration.

DROP TABLE rollup_respondents;
DROP TABLE rollup_items;
DROP TABLE rollup_pairs;

CREATE TABLE rollups (
    service_id            TEXT NOT NULL,
    attribute             TEXT NOT NULL,
    grain                 TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month')),
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    day                   BIGINT NOT NULL,
    value                 TEXT NOT NULL,
    -- responses that scored at least one item
    n                     BIGINT NOT NULL,
    items                 TEXT NOT NULL,
    pairs                 TEXT NOT NULL,
    PRIMARY KEY (service_id, attribute, grain, questionnaire_id, questionnaire_version, day, value)
) WITHOUT ROWID;
