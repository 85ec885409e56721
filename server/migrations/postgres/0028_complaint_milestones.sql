-- When each complaint was first verified, first answered and first resolved
-- (confirmed or closed without a reply): what the public complaint figures
-- read (server/src/store/complaints/listing.rs, `complaint_courses`), kept
-- with the complaint as it moves so that the figures of 100,000 complaints
-- read one row each rather than every event. Filled from the events.
ALTER TABLE complaints ADD COLUMN first_verified_at_ms BIGINT;
ALTER TABLE complaints ADD COLUMN first_answered_at_ms BIGINT;
ALTER TABLE complaints ADD COLUMN first_resolved_at_ms BIGINT;
UPDATE complaints SET
    first_verified_at_ms = (SELECT MIN(e.at_ms) FROM complaint_events e
        WHERE e.complaint_id = complaints.id AND e.state = 'diverifikasi'),
    first_answered_at_ms = (SELECT MIN(e.at_ms) FROM complaint_events e
        WHERE e.complaint_id = complaints.id AND e.state = 'dijawab'),
    first_resolved_at_ms = (SELECT MIN(e.at_ms) FROM complaint_events e
        WHERE e.complaint_id = complaints.id
        AND e.state IN ('selesai', 'selesai_tanpa_konfirmasi'));
