-- Roll-ups: what every summary and dashboard reads, maintained in the
-- transaction that accepts a response (never out of step with responses) and
-- recomputable with `suara rollups rebuild`.
--
-- A slice is everyone (attribute = '', value = '') or the respondents with one
-- value of one respondent attribute (attribute = 'sex', value = 'female';
-- value = 'not-stated' when left blank). `day` counts days since 1970-01-01
-- of `answered_at`, UTC. Keys lead with service and slice, then period, as
-- every read selects them. Keep in step with the other engine's migration.

CREATE TABLE rollup_respondents (
    service_id            TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    day                   BIGINT NOT NULL,
    attribute             TEXT NOT NULL,
    value                 TEXT NOT NULL,
    -- responses that scored at least one item
    n                     BIGINT NOT NULL,
    PRIMARY KEY (service_id, attribute, questionnaire_id, questionnaire_version, day, value)
);

-- How many answered 1, 2, 3 and 4 to an item.
CREATE TABLE rollup_items (
    service_id            TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    day                   BIGINT NOT NULL,
    attribute             TEXT NOT NULL,
    value                 TEXT NOT NULL,
    item_code             TEXT NOT NULL,
    c1                    BIGINT NOT NULL,
    c2                    BIGINT NOT NULL,
    c3                    BIGINT NOT NULL,
    c4                    BIGINT NOT NULL,
    PRIMARY KEY (service_id, attribute, questionnaire_id, questionnaire_version, day, value, item_code)
);

-- Co-moments of two items (item_a < item_b) over respondents who scored
-- both: what the index's interval needs. Kept for everyone (attribute = '')
-- only; groups borrow its correlations.
CREATE TABLE rollup_pairs (
    service_id            TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    day                   BIGINT NOT NULL,
    attribute             TEXT NOT NULL,
    value                 TEXT NOT NULL,
    item_a                TEXT NOT NULL,
    item_b                TEXT NOT NULL,
    n                     BIGINT NOT NULL,
    sum_a                 BIGINT NOT NULL,
    sum_b                 BIGINT NOT NULL,
    sum_ab                BIGINT NOT NULL,
    PRIMARY KEY (service_id, attribute, questionnaire_id, questionnaire_version, day, value, item_a, item_b)
);
