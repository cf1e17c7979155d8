-- name: LockSignInThrottle :one
-- Creates the row if need be and locks it for the rest of the
-- transaction, so that attempts at once are counted one after another.
INSERT INTO sign_in_throttles AS t (email, client, failures, last_failure_at, blocked_until)
VALUES (@email, @client, 0, now(), 'epoch')
ON CONFLICT (email, client) DO UPDATE SET failures = t.failures
RETURNING *;

-- name: SetSignInThrottle :exec
UPDATE sign_in_throttles SET failures = @failures, last_failure_at = @last_failure_at, blocked_until = @blocked_until
WHERE email = @email AND client = @client;

-- name: ReturnSignInAttempt :exec
-- Gives back an attempt counted before its password was checked that
-- turned out a success, or was never checked.
UPDATE sign_in_throttles SET failures = greatest(failures - 1, 0), blocked_until = least(blocked_until, now())
WHERE email = @email AND client = @client;

-- name: ClearSignInThrottle :execrows
DELETE FROM sign_in_throttles WHERE email = @email AND client = @client;

-- name: ListSignInThrottles :many
-- Rows with failures in the last day, blocked ones first.
SELECT * FROM sign_in_throttles
WHERE failures > 0 AND last_failure_at > now() - interval '1 day'
ORDER BY blocked_until > now() DESC, last_failure_at DESC
LIMIT 200;

-- name: SignedInFromLately :one
SELECT EXISTS (
    SELECT 1 FROM audit_log
    WHERE action = 'sign_in' AND user_id = @user_id AND client_ip = @client_ip AND at > now() - interval '30 days'
);
