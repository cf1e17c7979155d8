DROP TABLE IF EXISTS audit_log;
DROP FUNCTION IF EXISTS heard_audit_append_only();
ALTER TABLE consultations DROP COLUMN IF EXISTS results_published;
DROP TABLE IF EXISTS sessions, users;
DROP TYPE IF EXISTS user_role;
