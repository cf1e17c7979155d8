-- name: FormState :one
-- What the form needs on every request: whether the consultation is open,
-- and whether its cached structure is still current.
SELECT id, status, opens_on, closes_on, structure_version
FROM consultations WHERE slug = @slug;

-- name: GetDraft :one
SELECT * FROM webform_drafts
WHERE consultation_id = @consultation_id AND token_hash = @token_hash AND expires_at > now() AND NOT purged;

-- name: CreateDraft :one
INSERT INTO webform_drafts (consultation_id, token_hash, reference, answers, resume_page, honeypot, expires_at)
VALUES (@consultation_id, @token_hash, @reference, jsonb_strip_nulls(@answers::jsonb), @resume_page, @honeypot,
        now() + make_interval(days => @days::integer))
RETURNING *;

-- name: SaveDraft :one
-- Merges one page's answers into the draft (a null clears a key), so two
-- tabs saving different pages never undo each other.
UPDATE webform_drafts
SET answers = jsonb_strip_nulls(answers || @answers::jsonb),
    resume_page = @resume_page,
    honeypot = honeypot OR @honeypot,
    updated_at = now(),
    expires_at = now() + make_interval(days => @days::integer)
WHERE consultation_id = @consultation_id AND token_hash = @token_hash AND submitted_at IS NULL AND expires_at > now()
RETURNING *;

-- name: ClaimDraft :one
-- The first statement of a submission marks the draft sent and returns
-- it with the consultation's state; if the submission then fails, the
-- transaction rolls the mark back. A second submit of the same draft
-- waits here on the row lock, then matches nothing.
UPDATE webform_drafts d
SET submitted_at = now(),
    publication_consent = coalesce(d.answers ->> @consent_key::text, ''),
    honeypot = d.honeypot OR @honeypot,
    updated_at = now(),
    expires_at = now() + make_interval(days => @days::integer)
FROM consultations c
WHERE c.id = d.consultation_id AND d.consultation_id = @consultation_id AND d.token_hash = @token_hash
  AND d.expires_at > now() AND d.submitted_at IS NULL
RETURNING d.id, d.reference, d.answers, d.honeypot, d.submitted_at,
          c.status, c.opens_on, c.closes_on, c.structure_version;

-- name: DeleteExpiredDrafts :execrows
DELETE FROM webform_drafts
WHERE NOT purged AND created_at < now() - make_interval(days => @days::integer)
  AND expires_at < now() AND submitted_at IS NULL;

-- name: ClearExpiredSubmissions :execrows
-- A sent draft keeps its reference, consent and dates; its copy of the
-- answers (the response has them) goes.
UPDATE webform_drafts SET answers = '{}', purged = true
WHERE NOT purged AND created_at < now() - make_interval(days => @days::integer)
  AND expires_at < now() AND submitted_at IS NOT NULL;

-- name: PublicationConsent :one
SELECT publication_consent FROM webform_drafts
WHERE consultation_id = @consultation_id AND reference = @reference AND submitted_at IS NOT NULL;
