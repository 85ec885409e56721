-- Respondent attributes as columns, so that summaries can break figures down
-- by group without parsing every response. Filled on insert; the backfill
-- reads them from the stored canonical content. Keep in step with ../postgres/.
ALTER TABLE responses ADD COLUMN respondent_sex TEXT;
ALTER TABLE responses ADD COLUMN respondent_age_band TEXT;
ALTER TABLE responses ADD COLUMN respondent_education TEXT;
ALTER TABLE responses ADD COLUMN respondent_occupation TEXT;
ALTER TABLE responses ADD COLUMN respondent_disability TEXT;

UPDATE responses SET
    respondent_sex = json_extract(content, '$.respondent.sex'),
    respondent_age_band = json_extract(content, '$.respondent.age_band'),
    respondent_education = json_extract(content, '$.respondent.education'),
    respondent_occupation = json_extract(content, '$.respondent.occupation'),
    respondent_disability = json_extract(content, '$.respondent.disability');
