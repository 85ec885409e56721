-- Each unit's opening hours on its working days, in its own zone
-- (`07.30-16.00`, app::domain::zone::OpeningHours); NULL: not said. A kiosk
-- rating outside them (with an hour's margin) is flagged as closed-hours;
-- a unit without them is judged by the night (21.00 to 05.00 local).
ALTER TABLE units ADD COLUMN opening_hours TEXT;
