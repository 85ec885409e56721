-- What the server forgets on a schedule (Store::forget_the_past): the
-- integrity monitor's counts of days and hours it no longer judges, and
-- sessions past their end. These indexes keep each pass a range scan.
CREATE INDEX integrity_devices_by_day ON integrity_devices (day);
CREATE INDEX integrity_hours_by_hour ON integrity_hours (hour);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
