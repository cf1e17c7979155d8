DROP TABLE IF EXISTS event_notes;
ALTER TABLE responses DROP COLUMN IF EXISTS event_id;
DROP TABLE IF EXISTS event_groups, events;
