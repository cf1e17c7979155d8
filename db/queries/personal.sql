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
INSERT INTO personal_spans (consultation_id, response_id, question_id, start_offset, end_offset, kind, confidence, origin, match_key)
VALUES (@consultation_id, @response_id, @question_id, @start_offset, @end_offset, @kind, @confidence, @origin, @match_key);

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
INSERT INTO personal_spans (consultation_id, response_id, question_id, start_offset, end_offset, kind, origin, status, reason, decided_by, decided_at, match_key)
VALUES (@consultation_id, @response_id, @question_id, @start_offset, @end_offset, @kind, 'analyst', 'confirmed', @reason, @decided_by, now(), @match_key)
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

-- name: SubjectResponseIDs :many
-- Responses that mention a person, each path on an index (migration
-- 000022): by reference, organisation or sender's address (exact), by
-- sender's name (contains, trigram), by personal data found in the
-- texts (@keys: personal.MatchKey of the term), or by the words of the
-- term as a phrase in the answers' and letters' search vectors. Each
-- path stops at 1,000, so a term that is a common word costs one index
-- probe, not a sort of every answer that uses it.
SELECT id FROM (SELECT id FROM responses WHERE source_ref = @term::text LIMIT 1000) a
UNION
SELECT id FROM (SELECT id FROM responses WHERE organisation <> '' AND lower(organisation) = lower(@term::text) LIMIT 1000) b
UNION
SELECT response_id FROM (SELECT response_id FROM response_sources WHERE sender_address <> '' AND lower(sender_address) = lower(@term::text) LIMIT 1000) c
UNION
SELECT response_id FROM (SELECT response_id FROM response_sources WHERE sender_name <> '' AND sender_name ILIKE @pattern::text LIMIT 1000) d
UNION
SELECT response_id FROM (SELECT response_id FROM personal_spans WHERE match_key <> '' AND match_key = ANY(@keys::text[]) LIMIT 1000) e
UNION
SELECT response_id FROM (SELECT response_id FROM answers WHERE text IS NOT NULL AND search @@ phraseto_tsquery('english', @term::text) LIMIT 1000) f
UNION
SELECT response_id FROM (SELECT sg.response_id FROM segment_search ss JOIN segments sg ON sg.id = ss.segment_id
    WHERE ss.search @@ phraseto_tsquery('english', @term::text) LIMIT 1000) g
ORDER BY 1
LIMIT 1000;

-- name: SubjectResponses :many
SELECT r.id, c.slug, r.channel::text AS channel, r.source_ref, r.organisation, r.on_behalf_of_org, r.received_at,
       coalesce(s.sender_name, '')::text AS sender_name, coalesce(s.sender_address, '')::text AS sender_address,
       coalesce(s.subject, '')::text AS subject, coalesce(s.full_text, '')::text AS full_text, s.raw,
       EXISTS (SELECT 1 FROM erasures e WHERE e.response_id = r.id) AS erased
FROM responses r
JOIN consultations c ON c.id = r.consultation_id
LEFT JOIN response_sources s ON s.response_id = r.id
WHERE r.id = ANY(@ids::bigint[])
ORDER BY r.id;

-- name: SubjectAnswers :many
SELECT a.response_id, q.code, coalesce(o.label, a.text, '')::text AS answer
FROM answers a
JOIN questions q ON q.id = a.question_id
LEFT JOIN scale_options o ON o.id = a.option_id
WHERE a.response_id = ANY(@ids::bigint[])
ORDER BY a.response_id, q.position;

-- name: SubjectScans :many
SELECT response_id, id, file_name, content_type, data FROM letter_scans WHERE response_id = ANY(@ids::bigint[]) ORDER BY id;

-- name: SubjectDrafts :many
-- Webform drafts by reference (the term, or a found response's) or
-- anywhere in what was typed.
SELECT c.slug, d.reference, d.answers, d.created_at, d.updated_at, d.submitted_at, d.publication_consent
FROM webform_drafts d JOIN consultations c ON c.id = d.consultation_id
WHERE d.reference = @term::text OR d.reference = ANY(@refs::text[])
   -- Purged drafts hold nothing: read only the others' answers.
   OR (NOT d.purged AND d.answers::text ILIKE @pattern::text)
ORDER BY d.created_at
LIMIT 1000;

-- name: SubjectUploads :many
-- Uploaded files still held (not yet imported or discarded) that mention
-- the person; only the matching lines go into the bundle.
SELECT id, file_name, data FROM import_uploads
WHERE data IS NOT NULL AND position(convert_to(@term::text, 'UTF8') IN data) > 0
ORDER BY id;

-- name: SubjectAudit :many
SELECT a.at, a.actor, a.action, coalesce(c.slug, '')::text AS slug, a.record_type, a.record_id, a.detail
FROM audit_log a LEFT JOIN consultations c ON c.id = a.consultation_id
WHERE lower(a.actor) = lower(@term::text) OR a.record_id = @term::text OR a.detail::text ILIKE @pattern::text
ORDER BY a.at
LIMIT 5000;

-- name: CreateSubjectAccessRequest :one
INSERT INTO subject_access_requests (label, received_on, due_on, found, created_by)
VALUES (@label, @received_on, @due_on, @found, @created_by)
RETURNING id, due_on;

-- name: MarkSubjectAccessExported :exec
UPDATE subject_access_requests SET status = 'exported', exported_at = now(), found = @found WHERE id = @id;

-- name: CloseSubjectAccessRequest :exec
UPDATE subject_access_requests SET status = 'closed' WHERE id = @id;

-- name: SubjectAccessRequests :many
SELECT id, label, received_on, due_on, status, found, created_at, exported_at FROM subject_access_requests ORDER BY status = 'closed', due_on, id;

-- name: ConsultationLawfulBasis :one
SELECT lawful_basis, retention_months, retention_done_at, closes_on FROM consultations WHERE id = @consultation_id;

-- name: ResponseInConsultation :one
SELECT r.id, r.source_ref, r.channel::text AS channel FROM responses r WHERE r.id = @id AND r.consultation_id = @consultation_id;

-- name: TombstoneSource :exec
-- The erased text's place: empty sender, a tombstone text, no raw bytes.
UPDATE response_sources
SET full_text = '[erased]', text_hash = 'erased', sender_name = '', sender_address = '', subject = '', message_id = '',
    attachments = '[]', raw = NULL
WHERE response_id = @response_id;

-- name: TombstoneOpenAnswers :exec
UPDATE answers SET text = '[erased]' WHERE response_id = @response_id AND text IS NOT NULL;

-- name: TombstoneAddedText :exec
-- A campaign member's added text (000026) is a copy of its words.
UPDATE added_texts SET text = '[erased]' WHERE response_id = @response_id;

-- name: WithdrawResponse :exec
-- Consent withdrawn: the response counts nowhere from now on (the
-- received totals through migration 000022's trigger, every filtered
-- count through heard_counted, migration 000040).
UPDATE responses SET withdrawn = true WHERE id = @id;

-- name: DeleteAllAnswers :exec
DELETE FROM answers WHERE response_id = @response_id;

-- name: DeleteResponseScans :exec
DELETE FROM letter_scans WHERE response_id = @response_id;

-- name: PurgeDraft :exec
UPDATE webform_drafts SET answers = '{}', purged = true
WHERE consultation_id = @consultation_id AND reference = @reference;

-- name: InsertErasure :exec
INSERT INTO erasures (response_id, consultation_id, cause, kept_closed, erased_by)
VALUES (@response_id, @consultation_id, @cause, @kept_closed, @erased_by)
ON CONFLICT (response_id) DO NOTHING;

-- name: SetLawfulBasis :exec
UPDATE consultations SET lawful_basis = @lawful_basis, retention_months = @retention_months WHERE id = @consultation_id;

-- name: ErasureCount :one
SELECT count(*) FROM erasures WHERE consultation_id = @consultation_id;

-- name: RetentionCounts :one
-- What the retention job will delete from a consultation.
SELECT
  (SELECT count(*) FROM responses r WHERE r.consultation_id = @consultation_id
     AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.response_id = r.id))::bigint AS responses,
  (SELECT count(*) FROM response_sources s WHERE s.consultation_id = @consultation_id AND s.raw IS NOT NULL)::bigint AS raw_files,
  (SELECT count(*) FROM letter_scans l WHERE l.consultation_id = @consultation_id)::bigint AS scans,
  (SELECT count(*) FROM import_uploads u WHERE u.consultation_id = @consultation_id AND u.data IS NOT NULL)::bigint AS uploads,
  (SELECT count(*) FROM webform_drafts d WHERE d.consultation_id = @consultation_id AND NOT d.purged)::bigint AS drafts;

-- name: RetentionDue :many
-- Consultations whose retention period has ended and not been applied.
SELECT id FROM consultations
WHERE retention_months IS NOT NULL AND retention_done_at IS NULL
  AND (closes_on + make_interval(months => retention_months))::date <= @today::date
ORDER BY id;

-- name: RetainTombstoneSources :exec
UPDATE response_sources
SET full_text = '[erased]', text_hash = 'erased', sender_name = '', sender_address = '', subject = '', message_id = '',
    attachments = '[]', raw = NULL
WHERE consultation_id = @consultation_id AND full_text <> '[erased]';

-- name: RetainDeleteScans :exec
DELETE FROM letter_scans WHERE consultation_id = @consultation_id;

-- name: RetainDeleteSpans :exec
DELETE FROM personal_spans WHERE consultation_id = @consultation_id;

-- name: RetainTombstoneAnswers :exec
UPDATE answers SET text = '[erased]' WHERE consultation_id = @consultation_id AND text IS NOT NULL AND text <> '[erased]';

-- name: RetainMarkErased :exec
INSERT INTO erasures (response_id, consultation_id, cause, kept_closed)
SELECT r.id, r.consultation_id, 'retention', true FROM responses r WHERE r.consultation_id = @consultation_id
ON CONFLICT (response_id) DO NOTHING;

-- name: RetainPurgeDrafts :exec
UPDATE webform_drafts SET answers = '{}', purged = true WHERE consultation_id = @consultation_id AND NOT purged;

-- name: RetainDeleteUploads :exec
UPDATE import_uploads SET data = NULL WHERE consultation_id = @consultation_id AND data IS NOT NULL;

-- name: RetentionDone :exec
UPDATE consultations SET retention_done_at = now() WHERE id = @consultation_id;

-- name: PersonalSourceTexts :many
-- The full texts of emails and letters among responses @ids (question_id
-- 0): what PersonalTexts reads beyond the open answers, for a writer that
-- already holds those answers.
SELECT s.response_id, 0::integer AS question_id, s.full_text AS text
FROM response_sources s
WHERE s.response_id = ANY(@ids::bigint[]) AND s.full_text <> '';
