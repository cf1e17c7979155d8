DROP INDEX IF EXISTS response_sources_needs_typing_idx;
ALTER TABLE response_sources DROP COLUMN IF EXISTS needs_typing;
