DROP TRIGGER IF EXISTS responses_days_insert ON responses;
DROP TRIGGER IF EXISTS responses_days_delete ON responses;
DROP TRIGGER IF EXISTS responses_days_update ON responses;
DROP FUNCTION IF EXISTS heard_count_days();
DROP TABLE IF EXISTS response_days;
DROP TABLE IF EXISTS report_snapshots;
DROP TABLE IF EXISTS report_narratives;
ALTER TABLE questions DROP COLUMN IF EXISTS reference;
ALTER TABLE consultations DROP COLUMN IF EXISTS suppress_public, DROP COLUMN IF EXISTS suppress_viewer;
