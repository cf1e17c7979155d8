DROP TABLE IF EXISTS report_snapshots;
DROP TABLE IF EXISTS report_narratives;
ALTER TABLE questions DROP COLUMN IF EXISTS reference;
ALTER TABLE consultations DROP COLUMN IF EXISTS suppress_public, DROP COLUMN IF EXISTS suppress_viewer;
