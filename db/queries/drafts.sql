-- name: CountDraftStart :one
-- Counts one more draft started by a client today and returns the count.
INSERT INTO webform_draft_starts AS s (client_hash, day, drafts)
VALUES (@client_hash, current_date, 1)
ON CONFLICT (client_hash, day) DO UPDATE SET drafts = s.drafts + 1
RETURNING drafts;

-- name: DeleteOldDraftStarts :execrows
DELETE FROM webform_draft_starts WHERE day < current_date - 1;

-- name: UnsentDraftBytes :one
-- The space unsent drafts' answers take, as stored.
SELECT coalesce(sum(pg_column_size(answers)), 0)::bigint FROM webform_drafts WHERE submitted_at IS NULL;

-- name: KeepDraft :execrows
-- Keeps an unsent draft for @days from now (never shortens it): a
-- respondent chose to come back later.
UPDATE webform_drafts
SET expires_at = greatest(expires_at, now() + make_interval(days => @days::integer))
WHERE consultation_id = @consultation_id AND token_hash = @token_hash AND submitted_at IS NULL AND expires_at > now();

-- name: DraftSentAfterLock :one
-- Whether the draft is sent, once any submission of it in progress (which
-- holds the row's lock until it commits) has finished.
SELECT (submitted_at IS NOT NULL)::boolean AS sent FROM webform_drafts
WHERE consultation_id = @consultation_id AND token_hash = @token_hash
FOR SHARE;
