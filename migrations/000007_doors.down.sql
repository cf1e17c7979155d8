DROP INDEX IF EXISTS audit_log_sign_in_client_idx;
DROP TABLE IF EXISTS sign_in_throttles;
