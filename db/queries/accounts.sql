-- name: CreateUser :one
INSERT INTO users (email, password_hash, role)
VALUES (@email, @password_hash, @role)
RETURNING *;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE lower(email) = lower(@email);

-- name: GetUser :one
SELECT * FROM users WHERE id = @id;

-- name: ListUsers :many
SELECT * FROM users ORDER BY lower(email);

-- name: SetUserRole :one
UPDATE users SET role = @role, updated_at = now() WHERE id = @id RETURNING *;

-- name: DisableUser :one
UPDATE users SET disabled_at = now(), session_epoch = session_epoch + 1, updated_at = now()
WHERE id = @id AND disabled_at IS NULL
RETURNING *;

-- name: EnableUser :one
UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = @id RETURNING *;

-- name: SetUserPassword :one
UPDATE users SET password_hash = @password_hash, session_epoch = session_epoch + 1, disabled_at = NULL, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: CountAdmins :one
SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL;
