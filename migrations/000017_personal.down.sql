DROP TABLE subject_access_requests;
DROP TABLE erasures;
ALTER TABLE consultations DROP COLUMN org_responses_published, DROP COLUMN retention_done_at, DROP COLUMN retention_months, DROP COLUMN lawful_basis;
DROP TABLE personal_scanned;
DROP TABLE personal_spans;
