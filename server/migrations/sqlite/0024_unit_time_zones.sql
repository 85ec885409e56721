-- Each unit's time zone (an IANA name: Asia/Jakarta, Asia/Makassar or
-- Asia/Jayapura): its deadlines, working days and auto-close run on its own
-- days, and the times its people read are its own (app::domain::zone).
ALTER TABLE units ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Jakarta';
