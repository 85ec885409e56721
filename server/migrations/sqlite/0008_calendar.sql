-- The working-day calendar complaints count deadlines in: the days off
-- besides weekends (national holidays and collective leave), kept by
-- administrators. Empty until first used, when Suara writes the built-in
-- days of app::domain::complaint::calendar. Keep in step with ../postgres/.
CREATE TABLE calendar_closures (
    day  TEXT PRIMARY KEY,
    -- 'holiday' or 'collective_leave'
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);
