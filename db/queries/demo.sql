-- The demo's letters and events (internal/demo).

-- name: DemoResponseIDs :many
-- The demo's responses of a channel, by their references.
SELECT id, source_ref FROM responses
WHERE consultation_id = @consultation_id AND channel = @channel AND source_ref = ANY(@refs::text[]);

-- name: DemoHasSources :one
SELECT EXISTS (SELECT 1 FROM response_sources WHERE consultation_id = @consultation_id);

-- name: DemoInsertBatch :one
INSERT INTO import_batches (consultation_id, file_name, sha256, format, channel, status, imported)
VALUES (@consultation_id, @file_name, @sha256, @format, @channel, 'imported', @imported)
RETURNING id;

-- name: DemoSetBatch :exec
UPDATE responses SET batch_id = @batch_id WHERE id = ANY(@ids::bigint[]);

-- name: DemoInsertSources :copyfrom
INSERT INTO response_sources (consultation_id, response_id, sender_name, sender_address, subject, message_id, full_text, text_hash)
VALUES (@consultation_id, @response_id, @sender_name, @sender_address, @subject, @message_id, @full_text, @text_hash);

-- name: DemoInsertSegments :copyfrom
INSERT INTO segments (consultation_id, response_id, position, start_offset, end_offset, question_id, theme_id, how)
VALUES (@consultation_id, @response_id, @position, @start_offset, @end_offset, @question_id, @theme_id, @how);

-- name: DemoLinkEventResponses :exec
UPDATE responses SET event_id = @event_id
WHERE consultation_id = @consultation_id AND channel = 'event' AND event_id IS NULL AND source_ref = ANY(@refs::text[]);
