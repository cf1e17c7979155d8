-- One-time set-password links (internal/accounts/links.go).

-- name: RevokePasswordLinks :exec
-- A new link replaces any unused one for the same user.
UPDATE password_links SET used_at = now() WHERE user_id = @user_id AND used_at IS NULL;

-- name: CreatePasswordLink :exec
INSERT INTO password_links (user_id, token_hash, purpose, created_by, expires_at)
VALUES (@user_id, @token_hash, @purpose, @created_by, @expires_at);

-- name: ValidPasswordLink :one
SELECT l.purpose, u.id, u.email, u.disabled_at FROM password_links l JOIN users u ON u.id = l.user_id
WHERE l.token_hash = @token_hash AND l.used_at IS NULL AND l.expires_at > now();

-- name: UsePasswordLink :one
-- Claims the link: of two requests at once, only one gets a row.
UPDATE password_links SET used_at = now()
WHERE token_hash = @token_hash AND used_at IS NULL AND expires_at > now()
RETURNING user_id, purpose;

-- name: PendingPasswordLinks :many
-- Links not used yet and still working, for the users page.
SELECT user_id, purpose, expires_at FROM password_links
WHERE used_at IS NULL AND expires_at > now();
