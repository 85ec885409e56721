-- Respondent attributes as columns, so that summaries can break figures down
-- by group without parsing every response. Filled on insert; the backfill
-- reads them from the stored canonical content. Keep in step with ../sqlite/.
ALTER TABLE responses ADD COLUMN respondent_sex TEXT;
ALTER TABLE responses ADD COLUMN respondent_age_band TEXT;
ALTER TABLE responses ADD COLUMN respondent_education TEXT;
ALTER TABLE responses ADD COLUMN respondent_occupation TEXT;
ALTER TABLE responses ADD COLUMN respondent_disability TEXT;

UPDATE responses SET
    respondent_sex = (content::jsonb) -> 'respondent' ->> 'sex',
    respondent_age_band = (content::jsonb) -> 'respondent' ->> 'age_band',
    respondent_education = (content::jsonb) -> 'respondent' ->> 'education',
    respondent_occupation = (content::jsonb) -> 'respondent' ->> 'occupation',
    respondent_disability = (content::jsonb) -> 'respondent' ->> 'disability';
