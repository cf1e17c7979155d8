-- name: PersonalTexts :many
-- The texts of responses @ids the detector reads: open answers, and the
-- full text of emails and letters (question_id 0).
SELECT a.response_id, a.question_id, a.text::text AS text
FROM answers a
WHERE a.response_id = ANY(@ids::bigint[]) AND a.text IS NOT NULL AND a.text <> ''
UNION ALL
SELECT s.response_id, 0::integer AS question_id, s.full_text AS text
FROM response_sources s
WHERE s.response_id = ANY(@ids::bigint[]) AND s.full_text <> '';

-- name: CopyPersonalSpans :copyfrom
INSERT INTO personal_spans (consultation_id, response_id, question_id, start_offset, end_offset, kind, confidence, origin)
VALUES (@consultation_id, @response_id, @question_id, @start_offset, @end_offset, @kind, @confidence, @origin);

-- name: MarkPersonalScanned :exec
INSERT INTO personal_scanned (response_id)
SELECT unnest(@ids::bigint[])
ON CONFLICT (response_id) DO UPDATE SET scanned_at = now();

-- name: UnscannedResponses :many
-- Responses the detector has not read yet, for the backfill.
SELECT r.consultation_id, r.id
FROM responses r
WHERE NOT EXISTS (SELECT 1 FROM personal_scanned p WHERE p.response_id = r.id)
ORDER BY r.id
LIMIT @page_size;

-- name: DeleteResponsesSpans :exec
-- Responses' texts were replaced (a letter typed up, or stored after
-- the response): spans on the old texts are meaningless.
DELETE FROM personal_spans WHERE response_id = ANY(@ids::bigint[]);

-- name: ResponseSpans :many
SELECT id, question_id, start_offset, end_offset, kind, confidence, origin, status, reason, decided_at
FROM personal_spans
WHERE response_id = @response_id
ORDER BY question_id, start_offset, id;

-- name: RedactingSpans :many
-- The spans that redact responses @ids: everything not dismissed.
SELECT response_id, question_id, start_offset, end_offset, kind
FROM personal_spans
WHERE response_id = ANY(@ids::bigint[]) AND status <> 'dismissed'
ORDER BY response_id, question_id, start_offset;

-- name: DecideSpan :one
UPDATE personal_spans
SET status = @status, reason = @reason, decided_by = @decided_by, decided_at = now()
WHERE id = @id AND response_id = @response_id
RETURNING id, kind, start_offset, end_offset, question_id;

-- name: AddSpan :one
INSERT INTO personal_spans (consultation_id, response_id, question_id, start_offset, end_offset, kind, origin, status, reason, decided_by, decided_at)
VALUES (@consultation_id, @response_id, @question_id, @start_offset, @end_offset, @kind, 'analyst', 'confirmed', @reason, @decided_by, now())
RETURNING id;

-- name: ResponseTexts :many
-- Every text of one response, for the redaction review.
SELECT a.question_id, a.text::text AS text
FROM answers a
WHERE a.response_id = @response_id AND a.text IS NOT NULL AND a.text <> ''
UNION ALL
SELECT 0::integer AS question_id, s.full_text AS text
FROM response_sources s
WHERE s.response_id = @response_id AND s.full_text <> ''
ORDER BY question_id;

-- name: OrganisationResponsesPublished :one
SELECT org_responses_published FROM consultations WHERE id = @consultation_id;

-- name: SetOrganisationResponsesPublished :exec
UPDATE consultations SET org_responses_published = @published WHERE id = @consultation_id;

-- name: ConsentedOrganisationAnswers :many
-- The open answers of organisations that answered "yes" to publication
-- on the webform (emails and letters carry no such consent), erased
-- responses excepted.
SELECT r.id AS response_id, r.organisation, a.question_id, a.text::text AS text
FROM responses r
JOIN webform_drafts d ON d.consultation_id = r.consultation_id AND d.reference = r.source_ref AND d.publication_consent = 'yes'
JOIN answers a ON a.response_id = r.id AND a.text IS NOT NULL AND a.text <> ''
WHERE r.consultation_id = @consultation_id AND r.channel = 'webform' AND r.on_behalf_of_org
  AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.response_id = r.id)
ORDER BY r.organisation, r.id, a.question_id;
