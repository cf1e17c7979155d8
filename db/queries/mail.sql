-- Scanned letters and watched mailboxes (#17).

-- name: InsertScan :exec
INSERT INTO letter_scans (consultation_id, response_id, attachment, file_name, content_type, data, pages, status, error)
VALUES (@consultation_id, @response_id, @attachment, @file_name, @content_type, @data, @pages, @status, @error);

-- name: ClaimScan :one
-- The next scan waiting for OCR (or one whose reader stopped without
-- finishing), taken by one worker at a time.
UPDATE letter_scans SET status = 'reading', updated_at = now()
WHERE id = (
    SELECT s.id FROM letter_scans s
    WHERE s.status = 'queued' OR (s.status = 'reading' AND s.updated_at < now() - interval '10 minutes')
    ORDER BY s.id
    LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id, (SELECT c.slug FROM consultations c WHERE c.id = letter_scans.consultation_id)::text AS slug,
          response_id, attachment, file_name, content_type, data, pages, pages_done;

-- name: InsertScanPage :exec
INSERT INTO letter_scan_pages (scan_id, page, image, image_type, text, confidence, words)
VALUES (@scan_id, @page, @image, @image_type, @text, @confidence, @words)
ON CONFLICT (scan_id, page) DO UPDATE
SET image = excluded.image, image_type = excluded.image_type, text = excluded.text,
    confidence = excluded.confidence, words = excluded.words;

-- name: SetScanProgress :exec
UPDATE letter_scans SET pages_done = @pages_done, updated_at = now() WHERE id = @id;

-- name: FinishScan :exec
UPDATE letter_scans
SET status = @status, mean_confidence = @mean_confidence, ocr_text = @ocr_text, error = @error, updated_at = now()
WHERE id = @id;

-- name: CheckResponseScans :exec
-- An analyst has checked the letter's text: every scan of it is checked.
UPDATE letter_scans SET status = 'checked', updated_at = now() WHERE response_id = @response_id;

-- name: ScanPageStats :many
SELECT page, text, confidence, jsonb_array_length(words)::integer AS words
FROM letter_scan_pages WHERE scan_id = @scan_id ORDER BY page;

-- name: GetScan :one
SELECT s.id, s.response_id, s.attachment, s.file_name, s.content_type, s.pages, s.pages_done, s.status, s.mean_confidence,
       s.ocr_text, s.error, s.updated_at
FROM letter_scans s
WHERE s.id = @id;

-- name: ResponseScans :many
SELECT s.id, s.response_id, s.attachment, s.file_name, s.content_type, s.pages, s.pages_done, s.status, s.mean_confidence,
       s.ocr_text, s.error, s.updated_at
FROM letter_scans s
WHERE s.response_id = @response_id AND s.consultation_id = @consultation_id
ORDER BY s.attachment;

-- name: ScanPageImage :one
SELECT p.image, p.image_type
FROM letter_scan_pages p JOIN letter_scans s ON s.id = p.scan_id
WHERE s.id = @scan_id AND s.response_id = @response_id AND p.page = @page AND s.consultation_id = @consultation_id;

-- name: ScanFile :one
SELECT data, content_type, file_name FROM letter_scans
WHERE id = @id AND response_id = @response_id AND consultation_id = @consultation_id;

-- name: ListScans :many
-- Scans that still need a person or are being read, oldest first.
SELECT s.id, s.response_id, s.file_name, s.status, s.pages, s.pages_done, s.mean_confidence, r.source_ref
FROM letter_scans s JOIN responses r ON r.id = s.response_id
WHERE s.consultation_id = @consultation_id AND s.status IN ('queued', 'reading', 'needs_checking', 'needs_typing')
ORDER BY s.id
LIMIT 500;

-- name: SetSourceText :exec
-- A letter's text read by OCR or typed by an analyst. It needs typing up
-- exactly when the text is still empty: the "no readable text" marker and
-- its warning go once there is text, and come back if it is emptied.
UPDATE response_sources
SET full_text = @full_text, text_hash = @text_hash, needs_typing = @needs_typing,
    warnings = CASE
        WHEN @needs_typing::boolean THEN
            CASE WHEN warnings @> jsonb_build_array(@no_text_warning::text) THEN warnings
                 ELSE warnings || jsonb_build_array(@no_text_warning::text) END
        ELSE warnings - @no_text_warning::text
    END
WHERE response_id = @response_id;

-- name: DeleteSegments :exec
DELETE FROM segments WHERE response_id = @response_id;

-- name: DeleteAnswers :exec
-- A letter's answers, all taken from its text, before they are taken again.
DELETE FROM answers WHERE response_id = @response_id;

-- name: UpsertMailbox :exec
INSERT INTO mailboxes (consultation_id, host, port, security, username, secret, folder, done_folder, connected_by)
VALUES (@consultation_id, @host, @port, @security, @username, @secret, @folder, @done_folder, @connected_by)
ON CONFLICT (consultation_id) DO UPDATE
SET host = excluded.host, port = excluded.port, security = excluded.security, username = excluded.username,
    secret = excluded.secret, folder = excluded.folder, done_folder = excluded.done_folder,
    connected_by = excluded.connected_by, uid_validity = 0, last_uid = 0, last_error = '';

-- name: GetMailbox :one
SELECT * FROM mailboxes WHERE consultation_id = @consultation_id;

-- name: ListMailboxes :many
SELECT m.consultation_id, c.slug, m.host, m.port, m.security, m.username, m.folder, m.done_folder,
       m.last_uid, m.last_fetch_at, m.last_error
FROM mailboxes m JOIN consultations c ON c.id = m.consultation_id
ORDER BY c.slug;

-- name: DeleteMailbox :execrows
DELETE FROM mailboxes WHERE consultation_id = @consultation_id;

-- name: SetMailboxState :exec
UPDATE mailboxes
SET uid_validity = @uid_validity, last_uid = @last_uid, last_fetch_at = now(), last_error = @last_error
WHERE consultation_id = @consultation_id;

-- name: SeenUIDs :many
SELECT uid FROM mailbox_messages
WHERE consultation_id = @consultation_id AND uid_validity = @uid_validity AND uid = ANY(@uids::bigint[]);

-- name: InsertMailboxMessage :exec
INSERT INTO mailbox_messages (consultation_id, uid_validity, uid, message_id, batch_id, outcome, reason)
VALUES (@consultation_id, @uid_validity, @uid, @message_id, @batch_id, @outcome, @reason)
ON CONFLICT DO NOTHING;

-- name: MailboxOutcomes :many
SELECT outcome, count(*)::bigint AS n FROM mailbox_messages
WHERE consultation_id = @consultation_id GROUP BY outcome ORDER BY outcome;

-- name: RecentMailboxMessages :many
SELECT uid, message_id, outcome, reason, fetched_at, batch_id FROM mailbox_messages
WHERE consultation_id = @consultation_id AND outcome <> 'imported'
ORDER BY fetched_at DESC, uid DESC
LIMIT 50;

-- name: TryMailboxLock :one
-- One fetch per mailbox at a time (the command line and the background job).
SELECT pg_try_advisory_lock(1117, @consultation_id::integer);

-- name: MailboxUnlock :exec
SELECT pg_advisory_unlock(1117, @consultation_id::integer);

-- name: SetMailboxError :exec
UPDATE mailboxes SET last_error = @last_error, last_fetch_at = now() WHERE consultation_id = @consultation_id;
