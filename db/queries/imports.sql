-- name: InsertBatch :one
INSERT INTO import_batches (consultation_id, file_name, sha256, format, channel, default_group_id, skip_invalid,
                            status, imported, duplicates, rejected, problems, duplicate_list, imported_by)
VALUES (@consultation_id, @file_name, @sha256, @format, @channel, @default_group_id, @skip_invalid,
        @status, @imported, @duplicates, @rejected, @problems, @duplicate_list, @imported_by)
RETURNING id;

-- name: FinishBatch :exec
UPDATE import_batches
SET sha256 = @sha256, status = @status, imported = @imported, duplicates = @duplicates, rejected = @rejected,
    problems = @problems, duplicate_list = @duplicate_list
WHERE id = @id;

-- name: ListBatches :many
SELECT b.*, coalesce(u.email, 'command line')::text AS imported_by_email
FROM import_batches b LEFT JOIN users u ON u.id = b.imported_by
WHERE b.consultation_id = @consultation_id
ORDER BY b.id DESC
LIMIT 200;

-- name: GetBatch :one
SELECT b.*, coalesce(u.email, 'command line')::text AS imported_by_email
FROM import_batches b LEFT JOIN users u ON u.id = b.imported_by
WHERE b.id = @id AND b.consultation_id = @consultation_id;

-- name: ExistingTextHashes :many
-- Which of these (sender, text) pairs are already stored.
SELECT lower(s.sender_address)::text AS sender, s.text_hash
FROM response_sources s
WHERE s.consultation_id = @consultation_id
  AND (lower(s.sender_address), s.text_hash) IN (
      SELECT unnest(@senders::text[]), unnest(@hashes::text[]));

-- name: CopySources :copyfrom
INSERT INTO response_sources (consultation_id, response_id, sender_name, sender_address, subject, message_id,
                              full_text, text_hash, attachments, warnings, raw, needs_typing, organisation_source)
VALUES (@consultation_id, @response_id, @sender_name, @sender_address, @subject, @message_id,
        @full_text, @text_hash, @attachments, @warnings, @raw, @needs_typing, @organisation_source);

-- name: CopySegments :copyfrom
INSERT INTO segments (consultation_id, response_id, position, start_offset, end_offset, question_id, theme_id, how, why)
VALUES (@consultation_id, @response_id, @position, @start_offset, @end_offset, @question_id, @theme_id, @how, @why);

-- name: BatchResponses :many
-- The first responses of a batch, for its page.
SELECT r.id, r.channel, r.source_ref, r.organisation, r.received_at,
       coalesce(g.label, '')::text AS group_label, coalesce(sg.label, '')::text AS suggested_label,
       r.suggestion_reason, coalesce(s.sender_name, '')::text AS sender_name, coalesce(s.subject, '')::text AS subject
FROM responses r
LEFT JOIN respondent_groups g ON g.id = r.respondent_group_id
LEFT JOIN respondent_groups sg ON sg.id = r.suggested_group_id
LEFT JOIN response_sources s ON s.response_id = r.id
WHERE r.batch_id = @batch_id
ORDER BY r.id
LIMIT @page_size;

-- name: ResponseSegments :many
SELECT sg.*, coalesce(q.code, '')::text AS question_code, coalesce(t.title, '')::text AS theme_title,
       substring(src.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset)::text AS text
FROM segments sg
JOIN response_sources src ON src.response_id = sg.response_id
LEFT JOIN questions q ON q.id = sg.question_id
LEFT JOIN themes t ON t.id = sg.theme_id
WHERE sg.response_id = ANY(@response_ids::bigint[])
ORDER BY sg.response_id, sg.position;

-- name: ConfirmSuggestedGroup :one
UPDATE responses
SET respondent_group_id = suggested_group_id, suggested_group_id = NULL, suggestion_reason = ''
WHERE id = @id AND consultation_id = @consultation_id AND suggested_group_id IS NOT NULL
RETURNING id;

-- name: DismissSuggestedGroup :one
UPDATE responses SET suggested_group_id = NULL, suggestion_reason = ''
WHERE id = @id AND consultation_id = @consultation_id AND suggested_group_id IS NOT NULL
RETURNING id;

-- name: CreateUpload :one
INSERT INTO import_uploads (consultation_id, file_name, sha256, size, data, channel, group_id, skip_invalid, uploaded_by, status, preview)
VALUES (@consultation_id, @file_name, @sha256, @size, @data, @channel, @group_id, @skip_invalid, @uploaded_by, 'preview', @preview)
RETURNING id;

-- name: GetUpload :one
-- Everything but the file itself.
SELECT consultation_id, id, file_name, sha256, size, channel, group_id, skip_invalid, uploaded_by, status, preview,
       processed, batch_id, error, created_at, updated_at
FROM import_uploads WHERE id = @id AND consultation_id = @consultation_id;

-- name: UploadData :one
SELECT data FROM import_uploads WHERE id = @id;

-- name: SetUploadStatus :one
-- Moves an upload on only from the status expected, so a double click
-- on "Confirm" starts one import.
UPDATE import_uploads SET status = @status, updated_at = now()
WHERE id = @id AND status = @from_status
RETURNING id;

-- name: SetUploadProgress :exec
UPDATE import_uploads SET processed = @processed, updated_at = now() WHERE id = @id;

-- name: FinishUpload :exec
UPDATE import_uploads
SET status = @status, batch_id = @batch_id, error = @error, data = NULL, processed = size, updated_at = now()
WHERE id = @id;

-- name: DiscardUpload :one
UPDATE import_uploads SET status = 'discarded', data = NULL, updated_at = now()
WHERE id = @id AND consultation_id = @consultation_id AND status = 'preview'
RETURNING id;

-- name: GetResponseSource :one
SELECT r.id, r.channel, r.source_ref, r.received_at, r.organisation, r.batch_id,
       coalesce(g.label, '')::text AS group_label, coalesce(sg.label, '')::text AS suggested_label, r.suggestion_reason,
       s.sender_name, s.sender_address, s.subject, s.message_id, s.full_text, s.attachments, s.warnings,
       s.organisation_source, s.organisation_confirmed
FROM responses r
JOIN response_sources s ON s.response_id = r.id
LEFT JOIN respondent_groups g ON g.id = r.respondent_group_id
LEFT JOIN respondent_groups sg ON sg.id = r.suggested_group_id
WHERE r.id = @id AND r.consultation_id = @consultation_id;

-- name: CorrectSegment :one
UPDATE segments
SET question_id = @question_id, theme_id = @theme_id, how = 'corrected', why = '', corrected_by = @corrected_by, corrected_at = now()
WHERE id = @id AND response_id = @response_id
RETURNING id;

-- name: DeleteTextAnswers :exec
-- A mail response's text answers, before they are rebuilt from its segments.
DELETE FROM answers WHERE response_id = @response_id AND text IS NOT NULL;

-- name: InsertAnswer :exec
INSERT INTO answers (consultation_id, response_id, question_id, option_id, text, channel, respondent_group_id)
SELECT r.consultation_id, r.id, @question_id, @option_id, @text, r.channel, r.respondent_group_id
FROM responses r WHERE r.id = @response_id;
