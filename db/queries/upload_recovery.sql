-- A running import holds a session advisory lock on its upload; when
-- the process dies, PostgreSQL ends the session and frees the lock, so a
-- running upload whose lock is free was interrupted.

-- name: LockUpload :exec
SELECT pg_advisory_lock(@namespace::int4, @id::int4);

-- name: UnlockUpload :exec
SELECT pg_advisory_unlock(@namespace::int4, @id::int4);

-- name: TryUploadLock :one
SELECT pg_try_advisory_xact_lock(@namespace::int4, @id::int4)::boolean AS free;

-- name: RunningUploads :many
SELECT id FROM import_uploads WHERE status = 'running' ORDER BY id;

-- name: InterruptUpload :one
-- Keeps the file so the import can be retried.
UPDATE import_uploads SET status = 'interrupted', error = @error, processed = 0, updated_at = now()
WHERE id = @id AND status = 'running' AND data IS NOT NULL
RETURNING id;

-- name: RetryUpload :one
UPDATE import_uploads SET status = 'queued', error = '', processed = 0, updated_at = now()
WHERE id = @id AND consultation_id = @consultation_id AND status = 'interrupted'
RETURNING id;

-- name: OpenUploads :many
-- Uploads being imported or waiting for an admin, newest first.
SELECT id, file_name, size, status, processed, error, updated_at
FROM import_uploads
WHERE consultation_id = @consultation_id AND status IN ('queued', 'running', 'interrupted')
ORDER BY id DESC;
