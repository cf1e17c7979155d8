DROP TABLE IF EXISTS import_uploads, segments, response_sources;
ALTER TABLE responses DROP COLUMN IF EXISTS batch_id, DROP COLUMN IF EXISTS suggested_group_id, DROP COLUMN IF EXISTS suggestion_reason;
DROP TABLE IF EXISTS import_batches;
ALTER TABLE respondent_groups DROP COLUMN IF EXISTS email_domains;
