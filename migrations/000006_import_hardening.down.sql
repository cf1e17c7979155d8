ALTER TABLE response_sources DROP COLUMN IF EXISTS organisation_confirmed, DROP COLUMN IF EXISTS organisation_source;
ALTER TABLE segments DROP COLUMN IF EXISTS why;
ALTER TABLE questions DROP COLUMN IF EXISTS keywords;
ALTER TABLE themes DROP COLUMN IF EXISTS keywords;
ALTER TABLE themes DROP COLUMN IF EXISTS summary;
DROP INDEX IF EXISTS response_sources_needs_typing_idx;
ALTER TABLE response_sources DROP COLUMN IF EXISTS needs_typing;
