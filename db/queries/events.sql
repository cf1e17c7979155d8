-- name: CreateEvent :one
INSERT INTO events (consultation_id, name, held_on, format, online, place, attendees, facilitator, reached, created_by)
VALUES (@consultation_id, @name, @held_on, @format, @online, @place, @attendees, @facilitator, @reached, @created_by)
RETURNING id;

-- name: UpdateEvent :execrows
UPDATE events
SET name = @name, held_on = @held_on, format = @format, online = @online, place = @place,
    attendees = @attendees, facilitator = @facilitator, reached = @reached, updated_at = now()
WHERE consultation_id = @consultation_id AND id = @id;

-- name: GetEvent :one
SELECT e.*,
       (SELECT count(*) FROM response_facts f WHERE f.event_id = e.id)::bigint AS responses,
       (SELECT count(*) FROM event_notes n WHERE n.event_id = e.id)::bigint AS notes
FROM events e
WHERE e.consultation_id = @consultation_id AND e.id = @id;

-- name: ListEvents :many
-- Every event of a consultation with its own figures. Each count probes
-- the partial indexes on event_id, never the whole responses table: the
-- responses from response_facts (migrations/000028), which holds only
-- responses that count, so its index alone answers (an index-only scan;
-- counting through responses read every response's row: 1 s for 40
-- events of 600 responses at 1M).
SELECT e.*,
       (SELECT count(*) FROM response_facts f WHERE f.event_id = e.id)::bigint AS responses,
       (SELECT count(*) FROM event_notes n WHERE n.event_id = e.id)::bigint AS notes
FROM events e
WHERE e.consultation_id = @consultation_id
ORDER BY e.held_on DESC, e.id DESC;

-- name: DeleteEventGroups :exec
DELETE FROM event_groups WHERE event_id = @event_id;

-- name: AddEventGroups :exec
INSERT INTO event_groups (event_id, respondent_group_id)
SELECT @event_id, unnest(@group_ids::integer[]);

-- name: EventGroups :many
SELECT event_id, respondent_group_id FROM event_groups
WHERE event_id = ANY(@event_ids::bigint[])
ORDER BY event_id, respondent_group_id;

-- name: DeleteEmptyEvent :execrows
-- Only an event nothing was taken at can go; its notes go with it.
DELETE FROM events e
WHERE e.consultation_id = @consultation_id AND e.id = @id
  AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.event_id = e.id);

-- name: EventResponseBySourceRef :one
SELECT id, event_id FROM responses
WHERE consultation_id = @consultation_id AND source_ref = @source_ref AND channel = 'event';

-- name: EventResponses :many
-- One page of an event's responses, continuing after response id @after.
SELECT id, respondent_group_id, organisation, on_behalf_of_org, received_at, batch_id
FROM responses
WHERE event_id = @event_id::bigint AND id > @after
ORDER BY id
LIMIT @page_size;

-- name: ResponseAnswers :many
SELECT response_id, question_id, option_id, text FROM answers
WHERE response_id = ANY(@response_ids::bigint[])
ORDER BY response_id, question_id;

-- name: EventAnswerCounts :many
-- One event's own counts, straight from its responses: an event has
-- hundreds of responses at most, and the summary tables are not kept
-- per event.
SELECT a.question_id, coalesce(a.option_id, 0)::integer AS option_id,
       coalesce(a.respondent_group_id, 0)::integer AS respondent_group_id, a.channel, count(*)::bigint AS n
FROM responses r
JOIN answers a ON a.response_id = r.id
WHERE r.event_id = @event_id::bigint
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

-- name: EventResponseCounts :many
SELECT coalesce(respondent_group_id, 0)::integer AS respondent_group_id, channel, count(*)::bigint AS n
FROM responses
WHERE event_id = @event_id::bigint AND heard_counted(responses)
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: CreateEventNote :one
INSERT INTO event_notes (consultation_id, event_id, theme_id, question_id, attendees, text, created_by)
VALUES (@consultation_id, @event_id, @theme_id, @question_id, @attendees, @text, @created_by)
RETURNING id;

-- name: UpdateEventNote :execrows
UPDATE event_notes
SET theme_id = @theme_id, question_id = @question_id, attendees = @attendees, text = @text, updated_at = now()
WHERE event_id = @event_id AND id = @id;

-- name: DeleteEventNote :execrows
DELETE FROM event_notes WHERE event_id = @event_id AND id = @id;

-- name: GetEventNote :one
SELECT * FROM event_notes WHERE event_id = @event_id AND id = @id;

-- name: EventNotes :many
SELECT * FROM event_notes WHERE event_id = @event_id ORDER BY id;

-- name: NotesAbout :many
-- Notes on any of these questions or themes, with the event each came
-- from, oldest event first.
SELECT n.id, n.event_id, n.theme_id, n.question_id, n.attendees, n.text,
       e.name AS event_name, e.held_on, e.format, e.attendees AS event_attendees
FROM event_notes n
JOIN events e ON e.id = n.event_id
WHERE n.consultation_id = @consultation_id
  AND (n.question_id = ANY(@question_ids::integer[]) OR n.theme_id = ANY(@theme_ids::integer[]))
ORDER BY e.held_on, e.id, n.id;
